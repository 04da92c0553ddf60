export { startNetSuiteSandbox } from './server.js';
export type {
  SandboxOptions,
  NetSuiteSandbox,
  SandboxStats,
  DuplicateReport,
  FaultRule,
  CreationEntry,
  SandboxOAuth2Options,
  UnpreparedAccount,
} from './server.js';
export { sandboxOAuth2For } from './oauth2.js';
