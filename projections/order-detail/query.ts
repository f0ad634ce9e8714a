import { asc, eq } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { readCheckpointToken } from '../runtime/checkpoints';
import { orderDetailProjection } from './projection';
import { orderDetails, orderTimeline, type OrderDetail, type OrderTimelineEntry } from './schema';

export type OrderDetailView = {
  readonly checkpoint: string;
  readonly order: (OrderDetail & { timeline: OrderTimelineEntry[] }) | null;
};

export async function getOrderDetail(db: PostgresJsDatabase, orderId: string): Promise<OrderDetailView> {
  const checkpoint = await readCheckpointToken(db, orderDetailProjection.name);
  const [order] = await db.select().from(orderDetails).where(eq(orderDetails.orderId, orderId));
  if (!order) return { checkpoint, order: null };
  const timeline = await db
    .select()
    .from(orderTimeline)
    .where(eq(orderTimeline.orderId, orderId))
    .orderBy(asc(orderTimeline.streamVersion));
  return { checkpoint, order: { ...order, timeline } };
}
