// Tracing is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and then costs nothing: no span, no
// trace id in log lines, no SDK loaded. With it set, spans leave over OTLP/HTTP to that endpoint
// (any OTLP backend: Jaeger, Tempo, Honeycomb, an OpenTelemetry Collector).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { activeTraceIds, inSpan, spansEnabled } from '../../shared/trace-spans.js';
import { startTracing, tracingWanted } from '../../shared/tracing.js';
import { capturingLogger } from './support.js';

const received: Array<{ path: string; contentType: string; bytes: number }> = [];
let collector: Server | undefined;
afterAll(async () => {
  await new Promise<void>((resolve) => (collector ? collector.close(() => resolve()) : resolve()));
});

describe('tracing', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT: no span, no trace id in log lines', async () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
    const off = await startTracing({ serviceName: 'test', env: {} });
    expect(off.enabled).toBe(false);
    expect(spansEnabled()).toBe(false);
    expect(await inSpan('x', {}, async (span) => span)).toBeUndefined();
    expect(await inSpan('x', {}, async () => activeTraceIds())).toEqual({});
    const logs = capturingLogger('worker');
    await inSpan('x', {}, async () => logs.logger.info('inside'));
    expect(logs.lines()[0]).not.toHaveProperty('trace_id');
  });

  it('exports spans over OTLP/HTTP to the endpoint the standard variables name, with the trace id in log lines', async () => {
    collector = createServer((req: IncomingMessage, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector!.listen(0, '127.0.0.1', () => resolve()));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    const tracing = await startTracing({ serviceName: 'otlp-test' });
    expect(tracing.enabled).toBe(true);
    const logs = capturingLogger('gateway');
    let traceId = '';
    await inSpan('netsuite upsert:customer', { 'netsuite.call': 'upsert:customer' }, async (span) => {
      traceId = span!.spanContext().traceId;
      logs.logger.info('inside a span');
    });
    await tracing.shutdown();
    expect(logs.lines()[0]).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(received.some((r) => r.path === '/v1/traces' && r.bytes > 0)).toBe(true);
  });
});
