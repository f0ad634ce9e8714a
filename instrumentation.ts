/**
 * Next.js calls `register` once when the server starts, before it serves requests. Requests Node's HTTP parser
 * refuses get a JSON error body, as every other refusal does (server/main/client-errors.ts). In zero-setup mode
 * (no DATABASE_URL) the web server owns the embedded database: it prepares it and runs every consumer of the log.
 * Traces are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md), from here on, and
 * flushed on SIGTERM by our own signal handling (server/main/shutdown.ts).
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next.js itself; the edge runtime has no file system or database to prepare.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ startTracing }, { env }] = await Promise.all([import('./server/telemetry/tracing'), import('./server/env')]);
  startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'hindsight-web' });
  // Next.js leaves SIGTERM and SIGINT to us when NEXT_MANUAL_SIG_HANDLE is set (scripts/start.sh sets it): the
  // HTTP server closes gracefully as before, then the embedded back end stops and the last spans are sent.
  // Set now, so that a signal during the embedded start-up is handled too.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { stopOnSignals } = await import('./server/main/shutdown');
    stopOnSignals();
  } else if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { logger } = await import('./server/logger');
    logger.warn('NEXT_MANUAL_SIG_HANDLE is not set: Next.js exits on SIGTERM before the last spans are sent (npm start sets it)');
  }
  const { answerMalformedRequestsInJson } = await import('./server/main/client-errors');
  answerMalformedRequestsInJson();
  const { runMode } = await import('./server/run-mode');
  if (!runMode().embedded) return;
  const { startEmbeddedShop, exitAfterFailedStart } = await import('./server/main/web');
  await startEmbeddedShop().catch(exitAfterFailedStart);
}
