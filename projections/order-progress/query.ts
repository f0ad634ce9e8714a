import { asc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { orderProgressProjection } from './projection';
import { orderProgress, orderProgressSteps, type OrderProgressEntry } from './schema';

export type OrderProgressView = {
  readonly checkpoint: string;
  /** Oldest first; empty for an order the read model has not reached, or one from before cards. */
  readonly steps: OrderProgressEntry[];
};

export function getOrderProgress(db: Orm, orderId: string): Promise<OrderProgressView> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, orderProgressProjection.name);
    const steps = await tx
      .select()
      .from(orderProgress)
      .where(eq(orderProgress.orderId, orderId))
      .orderBy(asc(orderProgress.globalPosition));
    return { checkpoint, steps: inTheOrderTheyHappened(steps) };
  });
}

/**
 * In the order they happened, by the time each step tells of, which is what the page shows beside it; in log
 * order where that says nothing. The log alone would misplace the steps one decision takes: the process that
 * pays an order with no handover delay hands it to the warehouse in the same append, and an append writes its
 * streams in the order of their ids (`fulfillment-…` before `order-…`), so "handed to the warehouse" would come
 * before "payment authorised" (paid at the capture's time, a moment earlier). Steps of one instant on the way
 * forward are told in the order an order takes them; compensation (cancel, release, refund) as the log has it.
 */
function inTheOrderTheyHappened(steps: OrderProgressEntry[]): OrderProgressEntry[] {
  const forward = orderProgressSteps.slice(0, orderProgressSteps.indexOf('delivered') + 1) as readonly string[];
  const rank = (step: OrderProgressEntry) => (forward.includes(step.step) ? forward.indexOf(step.step) : forward.length);
  return steps
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.at.getTime() - b.step.at.getTime() || rank(a.step) - rank(b.step) || a.index - b.index)
    .map(({ step }) => step);
}
