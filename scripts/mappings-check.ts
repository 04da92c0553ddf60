// npm run mappings:check [-- <mapping file>]
// Validates the mapping file, then checks every NetSuite id it uses against the configured account
// (NETSUITE_* variables, else the running stack's sandbox). Exits non-zero, naming each problem and where it is in the file.
import { runMappingsCheck } from './lib/mappings-check/command.js';
import { useStackEnv } from './lib/ops/temporal-client.js';

// With `npm start` running and no NETSUITE_* set, the check runs against its NetSuite sandbox.
useStackEnv();

const file = process.argv[2] ?? process.env.MAPPINGS_FILE ?? 'config/mappings.yaml';
const code = await runMappingsCheck({
  file,
  env: process.env,
  io: { out: (t) => console.log(t), err: (t) => console.error(t) },
});
process.exitCode = code;
