// OpenTelemetry tracing of a process (worker, gateway, npm start), on when the standard
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, exported over OTLP/HTTP
// with the standard OTEL_* variables (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, …; OTEL_SDK_DISABLED=true turns it off). Off, nothing
// of the SDK is even loaded. A span tree goes: the gateway's HTTP request → the hand-over
// (SignalWithStartWorkflow) → the workflow (RunWorkflow, StartActivity) → each activity (RunActivity)
// → each NetSuite / 2Checkout call → its HTTP attempts and the wait for a limiter slot.
// Edge support (like shared/config.ts): only the edges import it.
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import { trace } from '@opentelemetry/api';
import { enableSpans } from './trace-spans.js';
import packageJson from '../package.json' with { type: 'json' };

export interface Tracing {
  /** What the worker hands to its workflow span exporter sink and interceptors; absent when off. */
  spanProcessor?: SpanProcessor;
  resource?: Resource;
  enabled: boolean;
  /** Flushes and stops the exporter. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => undefined };
let installed: Tracing | undefined;

export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts tracing once per process (a second call returns the first one's): the OTLP exporter from
 * the environment, or `spanProcessor` (tests: an in-memory exporter).
 */
export async function startTracing(opts: {
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  spanProcessor?: SpanProcessor;
}): Promise<Tracing> {
  if (installed) return installed;
  const env = opts.env ?? process.env;
  if (!opts.spanProcessor && !tracingWanted(env)) return OFF;
  const [{ NodeSDK }, { BatchSpanProcessor }, { OTLPTraceExporter }, { Resource, envDetectorSync }] = await Promise.all(
    [
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ],
  );
  const resource = new Resource({
    'service.name': env.OTEL_SERVICE_NAME || opts.serviceName,
    'service.version': packageJson.version,
  }).merge(envDetectorSync.detect());
  // The exporter reads the endpoint, headers and timeout from the standard variables itself.
  const spanProcessor = opts.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const sdk = new NodeSDK({
    resource,
    spanProcessors: [spanProcessor],
    autoDetectResources: false,
    instrumentations: [],
  });
  sdk.start();
  enableSpans(trace.getTracer('2checkout-netsuite-sync', packageJson.version));
  installed = { enabled: true, spanProcessor, resource, shutdown: () => sdk.shutdown() };
  return installed;
}
