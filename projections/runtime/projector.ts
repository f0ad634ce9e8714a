import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { ensureCheckpoint } from './checkpoints';
import type { Client } from '@elastic/elasticsearch';
import type { SearchProjection } from './elasticsearch/projection';
import { projectSearchBatch } from './elasticsearch/runner';
import type { Projection } from './projection';
import { batcher, type BatchOptions, type BatchResult } from './runner';

/** How soon to look again while the horizon is held back by a transaction still running. */
const horizonRetryMs = 10;
/** The longest such pause: a horizon held longer than this is a long transaction, which polling outlasts. */
const horizonMaxWaitMs = 80;
/**
 * The least time between the starts of two batches of one projection, unless the first was full (a backlog).
 * A projection that has been idle applies the next event at once; under load, the events that arrive in the
 * meantime are applied together, so a batch's fixed cost (its transaction and commit; for Elasticsearch a
 * bulk request and a shard refresh) is shared by more events instead of being paid again for each command.
 * Without it, every projection ran a batch per NOTIFY and the projectors' CPU grew with the command rate.
 *
 * The values are measured, not guessed (the lag rows of `npm run bench`, 100 commands/s, on 2 cores): at
 * 10 ms the six PostgreSQL projections still ran close to one batch per command each, and the machine was
 * saturated by batches (their round trips cost more than their rows); at 20 ms lag p99 fell by about a
 * fifth, since the CPU freed was worth more than the wait added; at 40 ms the wait itself dominated.
 * Elasticsearch's spacing is longer: a refresh costs far more than the documents, and its lag is judged
 * against the refresh interval (1 s). At 100 ms, Elasticsearch took a fifth of the machine at 100 commands/s;
 * at 250 ms, under a tenth, for a lag p99 near 350 ms.
 */
const liveBatchSpacingMs = { postgres: 20, elasticsearch: 250 } as const;

/**
 * The most events in one Elasticsearch batch, whatever `batchSize` allows: a batch is one bulk request, and
 * `PROJECTOR_BATCH_SIZE` may be raised for PostgreSQL rebuilds to where a request would outgrow the client's
 * timeout. At 10,000 a request is a few megabytes.
 */
export const maxSearchBatchSize = 10_000;

export type AnyProjection = Projection | SearchProjection;

export type ProjectorOptions = BatchOptions & {
  /** Needed when any projection writes to Elasticsearch. */
  readonly search?: Client;
  /** How long a caught-up projection sleeps when no NOTIFY arrives; polling is the fallback wake-up. */
  readonly pollMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
};

/**
 * Runs every projection in its own loop until the signal aborts. Each loop applies batches while there is
 * work, then sleeps until an append's NOTIFY (or the poll interval) wakes it. A batch that fails is retried
 * with a growing pause; its transaction rolled back, so nothing of it was applied.
 */
export async function runProjector(db: Database, projections: readonly AnyProjection[], options: ProjectorOptions) {
  const store = createEventStore(db.sql);
  const wakers = projections.map(() => new Waker());
  // One batcher per PostgreSQL projection, so a backlog is read ahead while it is applied.
  const batchers = new Map(
    projections.flatMap((projection) =>
      projection.kind === 'postgres' ? [[projection.name, batcher(db.orm, store, projection, options)] as const] : [],
    ),
  );
  const subscription = await listen();
  try {
    await Promise.all(projections.map((projection, index) => loop(projection, wakers[index]!)));
  } finally {
    await subscription?.stop();
  }

  /** LISTEN for appends; while the database is unreachable at start-up, keep trying instead of exiting. */
  async function listen() {
    for (let failures = 1; !options.signal.aborted; failures++) {
      try {
        return await store.onAppend(() => wakers.forEach((waker) => waker.notify()));
      } catch (error) {
        const retryInMs = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        options.logger.error({ err: error, retryInMs }, 'cannot listen for appends; retrying');
        await pause(retryInMs, options.signal);
      }
    }
    return null;
  }

  function batch(projection: AnyProjection): Promise<BatchResult> {
    if (projection.kind === 'postgres') return batchers.get(projection.name)!.next();
    if (!options.search) throw new Error(`${projection.name} needs an Elasticsearch client.`);
    return projectSearchBatch(db.orm, store, options.search, projection, { ...options, batchSize: batchSizeOf(projection) });
  }

  function batchSizeOf(projection: AnyProjection): number {
    return projection.kind === 'postgres' ? options.batchSize : Math.min(options.batchSize, maxSearchBatchSize);
  }

  async function loop(projection: AnyProjection, waker: Waker): Promise<void> {
    const log = options.logger.child({ projection: projection.name });
    let started = false;
    let failures = 0;
    let caughtUp = false;
    let applied = 0;
    let horizonWaits = 0;
    let spacedUntil = 0;
    while (!options.signal.aborted) {
      try {
        if (!started) {
          await ensureCheckpoint(db.orm, projection.name);
          started = true;
        }
        const early = spacedUntil - performance.now();
        if (early > 0) await pause(early, options.signal);
        const startedAt = performance.now();
        const { read, heldBack } = await batch(projection);
        const full = read === batchSizeOf(projection);
        spacedUntil = full ? 0 : startedAt + liveBatchSpacingMs[projection.kind];
        failures = 0;
        if (read > 0) {
          applied += read;
          horizonWaits = 0;
          caughtUp = false;
          log.debug({ read }, 'batch applied');
          if (full) continue;
        }
        // Nothing readable, yet committed events lie ahead: an older transaction still holds the horizon.
        // It will finish in moments (and sends no NOTIFY if it appended nothing), so look again soon.
        if (heldBack) {
          // Short and capped: under steady load some transaction is nearly always in flight, and a pause
          // that grew to the poll interval showed up as a second of lag. A NOTIFY cuts it shorter still.
          await waker.wait(Math.min(horizonMaxWaitMs, horizonRetryMs * 2 ** Math.min(horizonWaits++, 3)), options.signal);
          continue;
        }
        horizonWaits = 0;
        if (!caughtUp) {
          log.info({ events: applied }, 'caught up');
          caughtUp = true;
          applied = 0;
        }
      } catch (error) {
        failures++;
        const pauseMs = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        log.error({ err: error, failures, retryInMs: pauseMs }, 'batch failed; retrying');
        await pause(pauseMs, options.signal);
        continue;
      }
      await waker.wait(options.pollMs, options.signal);
    }
  }
}

/** A wake-up flag: a notify that arrives while the loop is busy is kept, so the next wait returns at once. */
class Waker {
  private pending = false;
  private resolve: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    this.resolve?.();
  }

  async wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.resolve = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        this.resolve = done;
      });
    }
    this.pending = false;
  }
}

/** Sleeps, but returns early when the projector is shutting down. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
