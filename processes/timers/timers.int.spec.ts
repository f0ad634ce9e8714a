import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { timerStreamId, type TimerEvent } from '@/domain';
import { appendShopEvents, metadata, useShopDatabase } from '@/projections/testing';
import { processTimersProjection } from './projection';
import { fireDueTimers } from './service';

const ctx = useShopDatabase();

function timer(name: string, dueAt: Date) {
  return { timerId: `${randomUUID()}.1.${name}`, process: 'fulfillment', processId: randomUUID(), name, dueAt: dueAt.toISOString() };
}

async function schedule(...events: TimerEvent[]): Promise<void> {
  await appendShopEvents(ctx.store, [{ streamId: `fulfillment-${randomUUID()}`, events }], metadata('timers-test', 'system:fulfillment'));
  await catchUp(ctx.source, processTimersProjection, { batchSize: 2 });
}

const elapsedEvents = async (timerId: string) => (await ctx.store.readStream(timerStreamId(timerId))).map((event) => event.type);

describe('durable timers', () => {
  it('fire once when due, even with several services racing for them', async () => {
    const now = new Date();
    const due = timer('handover', new Date(now.getTime() - 1_000));
    const notYet = timer('carrier-delivery', new Date(now.getTime() + 60_000));
    await schedule(
      { type: 'TimerScheduled', data: { ...due, scheduledAt: now.toISOString() } },
      { type: 'TimerScheduled', data: { ...notYet, scheduledAt: now.toISOString() } },
    );

    await Promise.all([fireDueTimers(ctx.db.orm, ctx.store, { now }), fireDueTimers(ctx.db.orm, ctx.store, { now })]);
    await fireDueTimers(ctx.db.orm, ctx.store, { now });

    expect(await elapsedEvents(due.timerId)).toEqual(['TimerElapsed']);
    expect(await elapsedEvents(notYet.timerId)).toEqual([]);
    const [elapsed] = await ctx.store.readStream(timerStreamId(due.timerId));
    // The timer's firing belongs to the checkout that set it, and is caused by the decision that set it.
    expect(elapsed!.metadata.correlationId).toBe('timers-test');
  });

  it('never fire once cancelled, even when the cancellation lands in the batch that scheduled them', async () => {
    const now = new Date();
    const cancelled = timer('payment-deadline', new Date(now.getTime() - 1_000));
    await schedule(
      { type: 'TimerScheduled', data: { ...cancelled, scheduledAt: now.toISOString() } },
      { type: 'TimerCancelled', data: { ...cancelled, cancelledAt: now.toISOString() } },
    );
    expect(await fireDueTimers(ctx.db.orm, ctx.store, { now })).toBe(0);
    expect(await elapsedEvents(cancelled.timerId)).toEqual([]);
  });

  it('survive a rebuild of their table without firing again', async () => {
    const now = new Date();
    const fired = timer('carrier-delivery', new Date(now.getTime() - 1_000));
    await schedule({ type: 'TimerScheduled', data: { ...fired, scheduledAt: now.toISOString() } });
    await fireDueTimers(ctx.db.orm, ctx.store, { now });
    await catchUp(ctx.source, processTimersProjection, { batchSize: 100 });

    await ctx.db.sql.query('delete from process_timers');
    await ctx.db.sql.query(`update consumer_checkpoints set transaction_id = '0'::xid8, position = 0 where consumer = 'process_timers'`);
    await catchUp(ctx.source, processTimersProjection, { batchSize: 100 });

    expect(await fireDueTimers(ctx.db.orm, ctx.store, { now })).toBe(0);
    expect(await elapsedEvents(fired.timerId)).toEqual(['TimerElapsed']);
  });
});
