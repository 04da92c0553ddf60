// Loaded by Temporal by path (DataConverter.failureConverterPath), in the worker's main thread and
// inside the workflow bundle, so it is plain CommonJS with no project imports.
// encodeCommonAttributes moves a failure's message and stack trace into a payload, which the
// payload codec then encrypts: failure messages quote NetSuite's text, which can name a shopper.
'use strict';
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
