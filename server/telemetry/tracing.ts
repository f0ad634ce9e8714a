import { propagation, trace, type Tracer } from '@opentelemetry/api';
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

/** How long a process about to exit waits for the collector: one that is down must not hold up the exit. */
const stopTimeoutMs = 5_000;

/** Sends every span ended so far (a test, a process about to exit). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Sends the spans still queued, within `timeoutMs`, and uninstalls the tracer and the propagator. */
export async function stopTracing(timeoutMs = stopTimeoutMs): Promise<void> {
  const stopping = provider;
  provider = undefined;
  if (stopping) await within(timeoutMs, stopping.shutdown());
  trace.disable();
  propagation.disable();
}

function within(ms: number, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.catch(() => {}), late]).finally(() => clearTimeout(timer));
}

export function tracer(): Tracer {
  return trace.getTracer('hindsight');
}
