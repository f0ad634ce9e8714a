import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces over OTLP/HTTP (JSON), started only when an endpoint is configured: without one the
 * API's tracer is its no-op, and a span costs a function call. The provider registers globally (the API keeps
 * it on globalThis), so every bundle of Next.js and every module sees the one that instrumentation.ts started.
 */
let provider: NodeTracerProvider | undefined;

export function startTracing(options: { endpoint: string | undefined; serviceName: string }): void {
  if (!options.endpoint || provider) return;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(options.endpoint) }))],
  });
  provider.register();
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base; traces go to its /v1/traces, as the specification says. */
function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/** Sends every span ended so far (a test, a process about to exit). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
}

export function tracer(): Tracer {
  return trace.getTracer('hindsight');
}
