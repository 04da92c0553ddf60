export { startNetSuiteSandbox } from './server.js';
export type { SandboxOptions, NetSuiteSandbox, SandboxStats, DuplicateReport, FaultRule } from './server.js';
