import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The warehouse process's traces, as the shop's (server/telemetry/tracing.ts, which the warehouse may not
 * import): OTLP/HTTP JSON to the endpoint's /v1/traces, only when one is set. Registering the provider also
 * installs the W3C propagator, so the transport's spans (contracts/tracing.ts) continue the shop's traces.
 * Undefined without an endpoint. Run inside the shop (zero setup), the warehouse uses the shop's provider.
 */
export function startWarehouseTracing(endpoint: string | undefined): { stop(): Promise<void> } | undefined {
  if (!endpoint) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'hindsight-warehouse' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }))],
  });
  provider.register();
  return {
    // Bounded: a collector that is down must not keep the process from exiting.
    stop: () => Promise.race([provider.shutdown(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]),
  };
}
