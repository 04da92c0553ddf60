export { startNetSuiteSandbox } from './server.js';
export type { SandboxOptions, NetSuiteSandbox, SandboxStats, DuplicateReport, FaultRule, CreationEntry } from './server.js';
