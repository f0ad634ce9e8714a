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
 * Log order, except where one decision took several steps at one moment: the process that pays an order with
 * no handover delay hands it to the warehouse in the same append, and an append writes its streams in the
 * order of their ids (`fulfillment-…` before `order-…`), so "handed to the warehouse" lies before "payment
 * authorised" in the log. Steps of the same instant on the way forward are told in the order an order takes them.
 */
function inTheOrderTheyHappened(steps: OrderProgressEntry[]): OrderProgressEntry[] {
  // The way forward has an order; compensation (cancel, release, refund) is told as the log has it.
  const forward = orderProgressSteps.slice(0, orderProgressSteps.indexOf('delivered') + 1) as readonly string[];
  const rank = (step: OrderProgressEntry) => (forward.includes(step.step) ? forward.indexOf(step.step) : forward.length);
  const ordered: OrderProgressEntry[] = [];
  // Runs of neighbours at the same instant, each sorted by rank (a stable sort keeps the log order of equals).
  for (let start = 0; start < steps.length; ) {
    let end = start + 1;
    while (end < steps.length && steps[end]!.at.getTime() === steps[start]!.at.getTime()) end++;
    ordered.push(...steps.slice(start, end).sort((a, b) => rank(a) - rank(b)));
    start = end;
  }
  return ordered;
}
