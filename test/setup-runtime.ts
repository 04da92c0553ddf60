// Each test file runs in its own forked process: keep the Temporal runtime quiet there.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
