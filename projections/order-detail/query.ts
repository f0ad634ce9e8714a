import { asc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { orderDetailProjection } from './projection';
import { orderDetails, orderTimeline, type OrderDetail, type OrderTimelineEntry } from './schema';

export type OrderDetailView = {
  readonly checkpoint: string;
  readonly order: (OrderDetail & { timeline: OrderTimelineEntry[] }) | null;
};

export function getOrderDetail(db: Orm, orderId: string): Promise<OrderDetailView> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, orderDetailProjection.name);
    const [order] = await tx.select().from(orderDetails).where(eq(orderDetails.orderId, orderId));
    if (!order) return { checkpoint, order: null };
    const timeline = await tx
      .select()
      .from(orderTimeline)
      .where(eq(orderTimeline.orderId, orderId))
      .orderBy(asc(orderTimeline.streamVersion));
    return { checkpoint, order: { ...order, timeline } };
  });
}
