import { asc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { orderProgressProjection } from './projection';
import { orderProgress, type OrderProgressEntry } from './schema';

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
    return { checkpoint, steps };
  });
}
