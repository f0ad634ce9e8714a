import type { Logger } from 'pino';
import type { Database } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { ensureCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { projectBatch, type BatchOptions } from './runner';

export type ProjectorOptions = BatchOptions & {
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
export async function runProjector(db: Database, projections: readonly Projection[], options: ProjectorOptions) {
  const store = createEventStore(db.sql);
  const wakers = projections.map(() => new Waker());
  const subscription = await store.onAppend(() => wakers.forEach((waker) => waker.notify()));
  try {
    await Promise.all(projections.map((projection, index) => loop(projection, wakers[index]!)));
  } finally {
    await subscription.stop();
  }

  async function loop(projection: Projection, waker: Waker): Promise<void> {
    const log = options.logger.child({ projection: projection.name });
    await ensureCheckpoint(db.orm, projection.name);
    let failures = 0;
    let caughtUp = false;
    let applied = 0;
    while (!options.signal.aborted) {
      try {
        const read = await projectBatch(db.orm, store, projection, options);
        failures = 0;
        if (read > 0) {
          applied += read;
          caughtUp = false;
          log.debug({ read }, 'batch applied');
          if (read === options.batchSize) continue;
        }
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
