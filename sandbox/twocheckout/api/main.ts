// `npm run sandbox:2checkout`: the 2Checkout REST API sandbox as a process (beside `npm run
// sandbox`, NetSuite's). Merchant code and secret key come from TWOCHECKOUT_VENDOR_CODE and
// TWOCHECKOUT_API_SECRET_KEY / TWOCHECKOUT_SECRET_KEY, falling back to the demo values.
import { DEMO_ENV } from '../../demo-env.js';
import { DEMO_VENDOR_CODE } from '../../../shared/twocheckout-api-config.js';
import { startTwoCheckoutApiSandbox } from './server.js';

const port = Number(process.env.TWOCHECKOUT_SANDBOX_PORT ?? 8089);
const latencyMs = Number(process.env.TWOCHECKOUT_SANDBOX_LATENCY_MS ?? 0);
const sandbox = await startTwoCheckoutApiSandbox({
  port,
  vendorCode: process.env.TWOCHECKOUT_VENDOR_CODE || DEMO_VENDOR_CODE,
  secretKey:
    process.env.TWOCHECKOUT_API_SECRET_KEY || process.env.TWOCHECKOUT_SECRET_KEY || DEMO_ENV.TWOCHECKOUT_SECRET_KEY,
  faults: latencyMs > 0 ? { latencyMs } : {},
});
console.log(`2Checkout API sandbox: ${sandbox.apiUrl}  (orders as JSON: ${sandbox.url}/__sandbox/orders)`);
const stop = () => void sandbox.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
