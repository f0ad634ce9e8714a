import { and, count, desc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import type { OrderStatus } from '@/domain';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { customerOrderHistoryProjection } from './projection';
import { customerOrders, type CustomerOrder } from './schema';

export type OrderHistory = {
  readonly checkpoint: string;
  readonly orders: CustomerOrder[];
  /** How many of the customer's orders have each status, for the filter's labels. */
  readonly statusCounts: Partial<Record<OrderStatus, number>>;
};

export function listCustomerOrders(
  db: Orm,
  options: { customerId: string; status?: OrderStatus; limit?: number },
): Promise<OrderHistory> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, customerOrderHistoryProjection.name);
    const ofCustomer = eq(customerOrders.customerId, options.customerId);
    const [orders, counts] = await Promise.all([
      tx
        .select()
        .from(customerOrders)
        .where(options.status ? and(ofCustomer, eq(customerOrders.status, options.status)) : ofCustomer)
        .orderBy(desc(customerOrders.placedAt), desc(customerOrders.orderId))
        .limit(options.limit ?? 100),
      tx
        .select({ status: customerOrders.status, count: count() })
        .from(customerOrders)
        .where(ofCustomer)
        .groupBy(customerOrders.status),
    ]);
    const statusCounts = Object.fromEntries(counts.map((row) => [row.status, row.count]));
    return { checkpoint, orders, statusCounts };
  });
}
