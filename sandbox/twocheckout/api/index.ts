export {
  startTwoCheckoutApiSandbox,
  type ApiSandbox,
  type ApiSandboxFaults,
  type ApiSandboxOptions,
} from './server.js';
export { renderApiOrder } from './render.js';
export type { NotifyTarget } from './route-error.js';
