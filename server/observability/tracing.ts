import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

/**
 * Tapeout's spans, through the OpenTelemetry API only. Until a tracer provider is registered
 * (startTracing.ts, when OTEL_EXPORTER_OTLP_ENDPOINT is set) the API hands out no-op spans, so
 * instrumented code costs a function call and nothing is recorded.
 */
const tracer = trace.getTracer('tapeout');

/** Runs `work` in a span that is the parent of the spans `work` starts; an error marks it failed. */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A span ended by the caller, child of the active span: for work that outlives one await (an
 * answer streamed by an async generator, whose body runs outside the caller's context).
 */
export function startSpan(name: string, attributes: Attributes = {}, parent?: Span): Span {
  const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
  return tracer.startSpan(name, { attributes }, parentContext);
}

/** The span active here, to pass to work that runs later (`startSpan`'s parent). */
export function activeSpan(): Span | undefined {
  return trace.getActiveSpan();
}

/** A span for work that ran elsewhere (a worker thread) and reported when it started and ended. */
export function recordSpan(name: string, startEpochMs: number, endEpochMs: number, attributes: Attributes = {}): void {
  tracer.startSpan(name, { attributes, startTime: startEpochMs }, context.active()).end(endEpochMs);
}

export function markFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
