// Benchmark role: the gateway exactly as `npm run gateway` runs it (startGatewayProcess), or with
// BENCH_SINK=null a gateway whose hand-over to Temporal returns at once: what the HTTP edge itself
// (signature, parsing, receipt) costs, without Temporal.
import type { Server } from 'node:http';
import { createLogger } from '../../../shared/logger.js';
import { loadGatewayConfig } from '../../../shared/config.js';
import { startGatewayProcess } from '../../../gateway/gateway-process.js';
import { createGatewayApp } from '../../../gateway/app.js';
import { createGatewayMetrics } from '../../../gateway/metrics.js';
import type { EventHandover } from '../../../workflows/handover.js';
import { orderWorkflowId, subscriptionWorkflowId } from '../../../workflows/messages.js';
import { runChild } from './child-main.js';

const nullHandover: EventHandover = {
  deliverOrderEvent: async (event) => ({ workflowId: orderWorkflowId(event.refNo) }),
  deliverLicenseEvent: async (event) => ({ workflowId: subscriptionWorkflowId(event.licenseCode) }),
  ready: async () => true,
};

runChild('gateway', async () => {
  const logger = createLogger({ name: 'gateway' });
  if (process.env.BENCH_SINK !== 'null') {
    // A fixed port (BENCH_GATEWAY_PORT) lets the chaos run restart the gateway where senders post.
    const gateway = await startGatewayProcess({ logger, port: Number(process.env.BENCH_GATEWAY_PORT ?? 0) });
    return { info: { url: gateway.url }, details: () => null, stop: () => gateway.close() };
  }
  const config = loadGatewayConfig();
  const app = createGatewayApp({ config, handover: nullHandover, logger, metrics: createGatewayMetrics() });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    info: { url: `http://127.0.0.1:${port}` },
    details: () => null,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
