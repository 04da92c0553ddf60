// Spans of the calls to the outside systems (NetSuite, 2Checkout), for the bottom layers. Costs
// nothing when tracing is off: until shared/tracing.ts turns it on, `inSpan` only calls its
// function, and no OpenTelemetry object is made. Names follow OpenTelemetry's HTTP conventions
// where they apply (http.request.method, http.response.status_code, url.full without the query).
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

let tracer: Tracer | undefined;

/** Called once by shared/tracing.ts when a tracer provider is registered. */
export function enableSpans(t: Tracer): void {
  tracer = t;
}

export function spansEnabled(): boolean {
  return tracer !== undefined;
}

/** Runs `fn` inside a span (ended when it settles; an error marks it failed); just runs `fn` when tracing is off. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span | undefined) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
  parent?: Context,
): Promise<T> {
  if (!tracer) return fn(undefined);
  return tracer.startActiveSpan(name, { kind, attributes }, parent ?? context.active(), async (span) => {
    try {
      const result = await fn(span);
      return result;
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: err instanceof Error ? err.message.slice(0, 300) : String(err),
      });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The trace context an incoming request carries (W3C traceparent from a proxy), or the active one. */
export function incomingTraceContext(headers: Record<string, string | string[] | undefined>): Context | undefined {
  return tracer ? propagation.extract(context.active(), headers) : undefined;
}

/** A span for time already spent (e.g. the wait for a limiter slot, known once the slot is given). */
export function pastSpan(name: string, startMs: number, attributes: Attributes = {}, parent?: Context): void {
  if (!tracer) return;
  tracer.startSpan(name, { startTime: startMs, attributes }, parent ?? context.active()).end();
}

/**
 * The caller's trace context, to parent spans made in a callback that another caller's code runs
 * (a limiter starts queued work when some other request ends). Undefined when tracing is off.
 */
export function currentTraceContext(): Context | undefined {
  return tracer ? context.active() : undefined;
}

/** Trace and span id of the active span, for log lines; empty when tracing is off or outside a span. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  if (!tracer) return {};
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}

export { SpanKind, type Context as TraceContext };
