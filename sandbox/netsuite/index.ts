export { startNetSuiteSandbox } from './server.js';
export type { SandboxOptions, NetSuiteSandbox, SandboxStats, DuplicateReport, FaultRule, CreationEntry, SandboxOAuth2Options } from './server.js';
