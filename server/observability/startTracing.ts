import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  /** Flushes the spans not yet exported and unregisters the provider. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** Where spans go: the OTLP/HTTP exporter in production, an in-memory one in specs. */
  exporter: SpanExporter;
  /** Export each span as it ends (specs) instead of in batches (production). */
  immediate?: boolean;
}

/**
 * Registers the OpenTelemetry tracer provider for this process (async context included, so
 * spans nest across awaits). Loaded only when tracing is on: with it off, the SDK is never
 * imported and the API's no-op tracer is all that runs.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [{ NodeTracerProvider }, { BatchSpanProcessor, SimpleSpanProcessor }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ]);
  const processor = options.immediate ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      const { trace, context } = await import('@opentelemetry/api');
      trace.disable();
      context.disable();
    },
  };
}

/**
 * The OTLP/HTTP exporter. It reads the standard OTEL_EXPORTER_OTLP_* variables itself (headers,
 * timeouts, a traces-only endpoint): the one place besides the config that reads the environment,
 * because those variables are the exporter's documented interface.
 */
export async function otlpExporter(): Promise<SpanExporter> {
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter();
}
