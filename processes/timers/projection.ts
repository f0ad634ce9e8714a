import { and, eq, inArray } from 'drizzle-orm';
import type { TransactionalConsumer } from '@/db/consumers';
import { timerEventTypes, type ShopEvent } from '@/domain';
import { processTimers } from './schema';

/**
 * Keeps `process_timers` in step with the timer events: a scheduled timer becomes a row, and a cancelled or
 * elapsed one leaves the set the timer service polls. Applied in the transaction of its checkpoint, so a
 * timer is never lost between its decision and this table.
 *
 * A batch is three statements whatever its size (insert the scheduled, mark the cancelled, mark the elapsed):
 * every consumer reads only below the oldest open transaction, so a batch applied one statement per event
 * held back the whole pipeline under load (the fulfillment benchmark measured it).
 */
export const processTimersProjection: TransactionalConsumer<ShopEvent, (typeof timerEventTypes)[number]> = {
  kind: 'transactional',
  name: 'process_timers',
  handles: timerEventTypes,
  async applyBatch(tx, events) {
    const scheduled: (typeof processTimers.$inferInsert)[] = [];
    const ended = { cancelled: new Set<string>(), elapsed: new Set<string>() };
    for (const event of events) {
      const { timerId } = event.data;
      if (event.type === 'TimerScheduled') {
        const { process, processId, name, dueAt } = event.data;
        scheduled.push({
          timerId,
          process,
          processId,
          name,
          dueAt: new Date(dueAt),
          state: 'scheduled',
          correlationId: event.metadata.correlationId,
          causationId: event.eventId,
        });
      } else {
        ended[event.type === 'TimerCancelled' ? 'cancelled' : 'elapsed'].add(timerId);
      }
    }
    // Inserted first, so a timer scheduled and ended in one batch ends here too, as one event at a time would.
    // Applied again from zero (a rebuild), a timer that already ended keeps its state.
    if (scheduled.length > 0) await tx.insert(processTimers).values(scheduled).onConflictDoNothing();
    for (const state of ['cancelled', 'elapsed'] as const) {
      const timerIds = [...ended[state]];
      if (timerIds.length === 0) continue;
      await tx
        .update(processTimers)
        .set({ state })
        .where(and(inArray(processTimers.timerId, timerIds), eq(processTimers.state, 'scheduled')));
    }
  },
};
