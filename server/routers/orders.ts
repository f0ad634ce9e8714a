import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listCustomerOrders } from '@/projections/customer-order-history/query';
import { getOrderDetail } from '@/projections/order-detail/query';
import { actOnOrder } from '@/server/commands/orders';
import { endOfDay } from '@/server/history/end-of-day';
import { readOrderHistory, readOrdersAsOf } from '@/server/history/order-history';
import { orderStatuses } from '@/domain';
import { commandProcedure, customerProcedure } from '../trpc/init';

const orderId = z.uuid();

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

  detail: customerProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => {
    const view = await getOrderDetail(ctx.db.orm, input.orderId);
    // Another customer's order reads as not (yet) there, exactly like one the projection has not reached.
    if (view.order && view.order.customerId !== ctx.customerId) return { checkpoint: view.checkpoint, order: null };
    return view;
  }),

  /** Every step of the order, read from its event stream: the order as it was after each. */
  timeline: customerProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => ({
    steps: await readOrderHistory(ctx.store, { orderId: input.orderId, customerId: ctx.customerId }),
  })),

  /** The customer's orders as they stood at the end of a day (UTC), from their event streams. */
  asOf: customerProcedure.input(z.object({ date: z.iso.date() })).query(({ ctx, input }) =>
    readOrdersAsOf({ orm: ctx.db.orm, store: ctx.store }, { customerId: ctx.customerId, at: endOfDay(input.date, new Date()) }),
  ),

  pay: commandProcedure.input(z.object({ orderId })).mutation(({ ctx, input }) =>
    actOnOrder(ctx.store, ctx.envelope, {
      orderId: input.orderId,
      customerId: ctx.customerId,
      action: { type: 'PayOrder', data: { paymentReference: `demo-${ctx.envelope.idempotencyKey.slice(0, 8)}` } },
    }),
  ),

  ship: commandProcedure
    .input(z.object({ orderId, carrier: z.string().trim().min(1).max(60), trackingNumber: z.string().trim().min(1).max(60) }))
    .mutation(({ ctx, input }) =>
      actOnOrder(ctx.store, ctx.envelope, {
        orderId: input.orderId,
        customerId: ctx.customerId,
        action: { type: 'ShipOrder', data: { carrier: input.carrier, trackingNumber: input.trackingNumber } },
      }),
    ),

  deliver: commandProcedure.input(z.object({ orderId })).mutation(({ ctx, input }) =>
    actOnOrder(ctx.store, ctx.envelope, {
      orderId: input.orderId,
      customerId: ctx.customerId,
      action: { type: 'DeliverOrder', data: {} },
    }),
  ),

  cancel: commandProcedure
    .input(z.object({ orderId, reason: z.string().trim().min(1, 'Please give a reason.').max(500) }))
    .mutation(({ ctx, input }) =>
      actOnOrder(ctx.store, ctx.envelope, {
        orderId: input.orderId,
        customerId: ctx.customerId,
        action: { type: 'CancelOrder', data: { reason: input.reason } },
      }),
    ),
} satisfies TRPCRouterRecord;
