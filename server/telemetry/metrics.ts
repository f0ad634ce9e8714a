import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, named as Prometheus and the event stores of the ecosystem name theirs:
 * a `hindsight_` prefix, base units (seconds), `_total` for counters. docs/operations.md lists them.
 *
 * One set per process, kept on globalThis: Next.js bundles instrumentation.ts (where the zero-setup consumers
 * start) apart from the routes, each with its own copy of this module, and both copies must count into the
 * registry that /api/metrics reads. prom-client refuses a second metric of the same name in one registry.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Latency buckets from a fast read (1 ms) to a slow command (10 s): the shop's calls sit around a few ms.
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    trpcRequests: new Counter({
      name: 'hindsight_trpc_requests_total',
      help: 'tRPC procedure calls, by procedure, type (query or mutation) and result code (OK or the tRPC error code).',
      labelNames: ['procedure', 'type', 'code'] as const,
      registers: [registry],
    }),
    trpcDuration: new Histogram({
      name: 'hindsight_trpc_request_duration_seconds',
      help: 'Time a tRPC procedure call took, from its first middleware to its result.',
      labelNames: ['procedure', 'type'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    appendDuration: new Histogram({
      name: 'hindsight_event_store_append_duration_seconds',
      help: 'Time an append to the event log took (its transaction), by outcome: appended, duplicate (idempotent repeat) or failed.',
      labelNames: ['outcome'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    eventsAppended: new Counter({
      name: 'hindsight_events_appended_total',
      help: 'Events this process appended to the log.',
      registers: [registry],
    }),
    batchDuration: new Histogram({
      name: 'hindsight_consumer_batch_duration_seconds',
      help: "Time a consumer's batch took to apply, by consumer (the engine's reading and checkpoint are outside it).",
      labelNames: ['consumer'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    eventsApplied: new Counter({
      name: 'hindsight_consumer_events_applied_total',
      help: 'Events a consumer applied in batches that completed in this process, by consumer.',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    batchFailures: new Counter({
      name: 'hindsight_consumer_batch_failures_total',
      help: "Batches a consumer failed to apply (the engine retries them), by consumer.",
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    scrapeErrors: new Counter({
      name: 'hindsight_metrics_scrape_errors_total',
      help: 'Scrapes that could not read part of what they export, by part (consumer_lag: the database did not answer in time).',
      labelNames: ['part'] as const,
      registers: [registry],
    }),
    // Labelled gauges export a series only once a label is set: nothing appears until a rebuild runs.
    rebuildProgress: new Gauge({
      name: 'hindsight_rebuild_progress_ratio',
      help: 'How far a running rebuild of a read model has come, from 0 to 1 (events done of events to do).',
      labelNames: ['read_model'] as const,
      registers: [registry],
    }),
    rebuildEventsDone: new Gauge({
      name: 'hindsight_rebuild_events_done',
      help: 'Events a running rebuild of a read model has applied so far; its rate() is the rebuild speed.',
      labelNames: ['read_model'] as const,
      registers: [registry],
    }),
    rebuildEventsTotal: new Gauge({
      name: 'hindsight_rebuild_events_total',
      help: 'Events a running rebuild of a read model has to apply in all (the log up to where it swaps).',
      labelNames: ['read_model'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { hindsightMetrics?: Metrics };

export function metrics(): Metrics {
  return (globalForMetrics.hindsightMetrics ??= createMetrics());
}

/**
 * The hook for a rebuild of a read model: call it as the rebuild goes (every batch is fine, it is a few
 * gauge writes), with the events applied so far and the events it has to apply in all; `total` may grow
 * while the live log grows. `readModel` is the name the rebuild builds (e.g. `orders_v9`). The process that
 * runs the rebuild exports it: the worker's metrics server, or the web server's /api/metrics in zero-setup
 * mode. Call `clearRebuildProgress` when the rebuild swaps or is cancelled, so the series stop.
 */
export function setRebuildProgress(readModel: string, progress: { readonly done: number; readonly total: number }): void {
  const { rebuildProgress, rebuildEventsDone, rebuildEventsTotal } = metrics();
  const labels = { read_model: readModel };
  const total = Math.max(0, progress.total);
  const done = Math.min(total, Math.max(0, progress.done));
  rebuildEventsDone.set(labels, done);
  rebuildEventsTotal.set(labels, total);
  // An empty log is a rebuild with nothing to do: done.
  rebuildProgress.set(labels, total === 0 ? 1 : done / total);
}

/** A rebuild that ended (swapped or cancelled) stops exporting its progress. */
export function clearRebuildProgress(readModel: string): void {
  const { rebuildProgress, rebuildEventsDone, rebuildEventsTotal } = metrics();
  for (const gauge of [rebuildProgress, rebuildEventsDone, rebuildEventsTotal]) gauge.remove({ read_model: readModel });
}
