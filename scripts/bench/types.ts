/**
 * The benchmark harness's vocabulary. A suite measures one thing at a few scales and returns a measurement
 * per scale; the harness runs every suite several times, in one process, and reports the median of each
 * metric with its spread (min–max), so peers measured side by side share the same noisy machine.
 */
export type BenchGroup = 'appends' | 'rebuild' | 'lag' | 'endpoint' | 'pages' | 'fulfillment' | 'integration' | 'zero-setup' | 'log-size';

export type Measurement = {
  /** Stable key across runs, e.g. `append.single.c8.hindsight`. */
  readonly id: string;
  readonly group: BenchGroup;
  /** What was measured, for the table: "single-event append, Hindsight". */
  readonly label: string;
  /** The workload's size: "4,000 appends", "1,000,000 events". */
  readonly scale: string;
  /** "8 writers", "100 commands/s", "1 reader". */
  readonly concurrency: string;
  /** Numbers by name: eventsPerSecond, p50Ms, p99Ms, maxMs, commandsPerSecond, … */
  readonly metrics: Readonly<Record<string, number>>;
};

export type BenchContext = {
  /** Tiny sizes, for the test suite's smoke run: proves the code paths, measures nothing meaningful. */
  readonly smoke: boolean;
  /** A PostgreSQL server URL for a database this run owns (created fresh by the harness). */
  readonly databaseUrl: string;
  /** Server URL without database, to create more databases (`${serverUrl}/name`). */
  readonly serverUrl: string;
  /** Elasticsearch; null skips the Elasticsearch rows. */
  readonly elasticsearchUrl: string | null;
  /** Index prefix this run owns. */
  readonly indexPrefix: string;
  /** NATS with JetStream; a suite publishes only to streams of its own (./bench-streams.ts). */
  readonly natsUrl: string;
  /**
   * Empties the run's database and search indices again, for a suite whose steps each need a fresh start;
   * returns `databaseUrl`. Nothing may be connected to the database meanwhile.
   */
  readonly freshDatabase: () => Promise<string>;
  /** Picks a size: `full` normally, `smoke` in smoke mode. */
  readonly size: (full: number, smoke: number) => number;
  readonly log: (message: string) => void;
};

export type BenchSuite = {
  readonly name: string;
  readonly run: (context: BenchContext) => Promise<Measurement[]>;
};

/** Latency percentiles of a sample, in milliseconds. */
export function percentiles(samples: number[]): { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? 0 };
}

/** Runs `count` tasks with at most `concurrency` at once; returns each task's latency in milliseconds. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<unknown>,
): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let index = next++; index < count; index = next++) {
        const begin = performance.now();
        await task(index);
        latenciesMs.push(performance.now() - begin);
      }
    }),
  );
  return { latenciesMs, elapsedMs: performance.now() - started };
}

/**
 * `clients` clients for `seconds`, each sending its next request as soon as its last one is answered (closed
 * loop: a slow server slows the clients, as it slows people). A failed request is counted and the client goes
 * on; the latencies are the successful ones'.
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  request: (client: number) => Promise<unknown>,
): Promise<{ latenciesMs: number[]; failures: unknown[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  const failures: unknown[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await request(client);
          latenciesMs.push(performance.now() - begin);
        } catch (error) {
          failures.push(error);
        }
      }
    }),
  );
  return { latenciesMs, failures, elapsedMs: performance.now() - started };
}

/** Sends at a steady rate (open loop: a slow response does not slow the schedule). */
export async function steadyLoad<T>(rate: number, seconds: number, send: () => Promise<T>) {
  const results: { value: T; sentAt: number; receivedAt: number }[] = [];
  const failures: unknown[] = [];
  const total = Math.max(1, Math.round(rate * seconds));
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    inFlight.push(
      send().then(
        (value) => void results.push({ value, sentAt, receivedAt: performance.now() }),
        (error: unknown) => void failures.push(error),
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  return { results, failures, achievedRate: results.length / elapsed };
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');
