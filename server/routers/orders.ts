import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { compareLogPositions, decodeToken, type EventStore } from '@/db/event-store';
import { listCustomerOrders } from '@/projections/customer-order-history/query';
import { getOrderDetail } from '@/projections/order-detail/query';
import { getOrderProgress } from '@/projections/order-progress/query';
import { cancelOrder } from '@/server/commands/orders';
import { endOfDay } from '@/server/history/end-of-day';
import { readOrderHistory, readOrdersAsOf } from '@/server/history/order-history';
import { orderStatuses, orderStreamId, type OrderPlaced } from '@/domain';
import { commandProcedure, customerProcedure } from '../trpc/init';

const orderId = z.uuid({ error: 'That is not an order number.' });

/**
 * The earlier of two read models' checkpoints. One answer built from two read models has caught up with a
 * command only when both have, so it carries the lower checkpoint and the page waits for the slower of them.
 */
function earlierCheckpoint(a: string, b: string): string {
  const [atA, atB] = [decodeToken(a), decodeToken(b)];
  if (!atA || !atB) throw new Error(`A checkpoint is not a log position: ${a}, ${b}`);
  return compareLogPositions(atA, atB) <= 0 ? a : b;
}

/** Whether the log has the order, placed by this customer: its stream's first event says so. */
async function isPlacedBy(store: EventStore, orderId: string, customerId: string): Promise<boolean> {
  const [placed] = await store.readStream(orderStreamId(orderId), { to: 1 });
  // The store has checked the event against its type's schema; only the type is left to narrow.
  return placed?.type === 'OrderPlaced' && (placed.data as OrderPlaced['data']).customerId === customerId;
}

export const ordersRouter = {
  history: customerProcedure
    .input(z.object({ status: z.enum(orderStatuses).optional() }))
    .query(({ ctx, input }) => listCustomerOrders(ctx.db.orm, { customerId: ctx.customerId, status: input.status })),

  /** Finds the customer's orders by product name, status and date range (Elasticsearch orders index). */
  search: customerProcedure
    .input(
      z
        .object({
          text: z.string().trim().max(200).optional(),
          status: z.enum(orderStatuses).optional(),
          placedFrom: z.iso.date().optional(),
          placedTo: z.iso.date().optional(),
        })
        .refine((range) => !range.placedFrom || !range.placedTo || range.placedFrom <= range.placedTo, {
          message: 'The start date must not be after the end date.',
          path: ['placedTo'],
        }),
    )
    .query(({ ctx, input }) => ctx.search.orders(ctx.db.orm, { ...input, customerId: ctx.customerId })),

  /**
   * The order with its timeline (order_detail) and the steps the shopper is told of (order_progress). Without
   * the order, `placed` says whether the log has it as this customer's: then the read model has not reached it
   * yet (the page says it is catching up); otherwise there is no such order of theirs (the page is a 404).
   * Another customer's order reads exactly like a missing one.
   */
  detail: customerProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => {
    const [detail, progress] = await Promise.all([getOrderDetail(ctx.db.orm, input.orderId), getOrderProgress(ctx.db.orm, input.orderId)]);
    const checkpoint = earlierCheckpoint(detail.checkpoint, progress.checkpoint);
    if (detail.order?.customerId === ctx.customerId) {
      return { checkpoint, placed: true, order: { ...detail.order, progress: progress.steps } };
    }
    // The read model knows the order as another customer's: the log would say the same.
    if (detail.order) return { checkpoint, placed: false, order: null };
    return { checkpoint, placed: await isPlacedBy(ctx.store, input.orderId, ctx.customerId), order: null };
  }),

  /** Every step of the order, read from its event stream: the order as it was after each. */
  timeline: customerProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => ({
    steps: await readOrderHistory(ctx.store, { orderId: input.orderId, customerId: ctx.customerId }),
  })),

  /** The customer's orders as they stood at the end of a day (UTC), from their event streams. */
  asOf: customerProcedure.input(z.object({ date: z.iso.date() })).query(({ ctx, input }) =>
    readOrdersAsOf({ orm: ctx.db.orm, store: ctx.store }, { customerId: ctx.customerId, at: endOfDay(input.date, new Date()) }),
  ),

  cancel: commandProcedure
    .input(z.object({ orderId, reason: z.string().trim().min(1, 'Please give a reason.').max(500) }))
    .mutation(({ ctx, input }) =>
      cancelOrder(ctx.store, ctx.envelope, { orderId: input.orderId, customerId: ctx.customerId, reason: input.reason }),
    ),
} satisfies TRPCRouterRecord;
