// npm run doctor
// A read-only preflight of the configured NetSuite account, 2Checkout account and Temporal: lists
// every missing piece with its fix in one run, exits 0 only when everything the sync needs is there.
// With `npm start` running and nothing configured, it checks the stack's sandboxes.
import { runDoctor } from './lib/doctor/command.js';
import { useStackEnv } from './lib/ops/temporal-client.js';

useStackEnv();
const { code } = await runDoctor({ env: process.env, io: { out: (t) => console.log(t) } });
process.exitCode = code;
