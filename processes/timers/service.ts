import { setTimeout as sleep } from 'node:timers/promises';
import { and, asc, eq, lte, min, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { ConcurrencyError, type EventStore } from '@/db/event-store';
import { timerStreamId } from '@/domain';
import { processTimers, type ProcessTimer } from './schema';

export type TimerServiceOptions = {
  readonly signal: AbortSignal;
  /** The longest wait between two looks for due timers; a timer due sooner is waited for exactly. */
  readonly pollMs?: number;
  /** Timers fired per look: the rest follow in the next one, at once. */
  readonly batchSize?: number;
  readonly onError?: (error: unknown) => void;
  readonly onFired?: (timer: ProcessTimer) => void;
};

/**
 * Fires due timers: for each, records `TimerElapsed` as the first and only event of the stream
 * `timer-<timerId>`. That stream can be created once, so a timer fires exactly once even when the service
 * runs in several processes, or stops between its append and marking the row (the next look finds the stream
 * taken and just marks it). A cancelled timer is not fired; one cancelled while it fires reaches its process
 * anyway, which ignores a timer it no longer waits for.
 */
export async function runTimerService(orm: Orm, store: EventStore, options: TimerServiceOptions): Promise<void> {
  const { signal, pollMs = 250, batchSize = 200 } = options;
  while (!signal.aborted) {
    let fired = 0;
    try {
      fired = await fireDueTimers(orm, store, { batchSize, onFired: options.onFired });
    } catch (error) {
      options.onError?.(error);
    }
    if (fired >= batchSize) continue;
    const wait = await untilNextTimer(orm, pollMs).catch(() => pollMs);
    await sleep(wait, undefined, { signal }).catch(() => undefined);
  }
}

/** Fires the timers due now; returns how many it found. */
export async function fireDueTimers(
  orm: Orm,
  store: EventStore,
  options: { batchSize?: number; now?: Date; onFired?: (timer: ProcessTimer) => void } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const due = await orm
    .select()
    .from(processTimers)
    .where(and(eq(processTimers.state, 'scheduled'), lte(processTimers.dueAt, now)))
    .orderBy(asc(processTimers.dueAt))
    .limit(options.batchSize ?? 200);
  await Promise.all(
    due.map(async (timer) => {
      await fire(store, timer, now);
      await orm
        .update(processTimers)
        .set({ state: 'elapsed' })
        .where(and(eq(processTimers.timerId, timer.timerId), eq(processTimers.state, 'scheduled')));
      options.onFired?.(timer);
    }),
  );
  return due.length;
}

async function fire(store: EventStore, timer: ProcessTimer, now: Date): Promise<void> {
  const { timerId, process, processId, name, dueAt } = timer;
  try {
    await store.append(
      timerStreamId(timerId),
      [{ type: 'TimerElapsed', data: { timerId, process, processId, name, dueAt: dueAt.toISOString(), elapsedAt: now.toISOString() } }],
      {
        expectedVersion: 'no_stream',
        metadata: { correlationId: timer.correlationId, causationId: timer.causationId, actor: 'system:timers', source: 'timers' },
      },
    );
  } catch (error) {
    // Another instance fired it first (or this one, before a crash): it has fired, once.
    if (!(error instanceof ConcurrencyError)) throw error;
  }
}

/** How long until the next scheduled timer is due, at most `pollMs`. */
async function untilNextTimer(orm: Orm, pollMs: number): Promise<number> {
  const [next] = await orm
    .select({ dueAt: min(processTimers.dueAt) })
    .from(processTimers)
    .where(eq(processTimers.state, sql`'scheduled'`));
  if (!next?.dueAt) return pollMs;
  const dueAt = next.dueAt instanceof Date ? next.dueAt : new Date(next.dueAt);
  return Math.max(0, Math.min(pollMs, dueAt.getTime() - Date.now()));
}
