// Gateway process entry point (`npm run gateway`, docker-compose `gateway` service).
import { ConfigError } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { startGatewayProcess } from './gateway-process.js';
import { startTracing } from '../shared/tracing.js';

const logger = createLogger({ name: 'gateway' });

async function main(): Promise<void> {
  // OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (shared/tracing.ts); nothing otherwise.
  const tracing = await startTracing({ serviceName: '2checkout-netsuite-sync-gateway' });
  const running = await startGatewayProcess({ logger, tracing });
  const stop = () => {
    logger.info('gateway stopping');
    void running
      .close()
      .then(() => tracing.shutdown())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else logger.fatal({ err }, 'gateway failed');
  process.exit(1);
});
