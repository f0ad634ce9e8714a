import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { compareLogPositions, decodeToken } from '@/db/event-store';
import { findCustomer, listCustomers } from '@/projections/customers/query';
import { getFulfillmentProcess } from '@/projections/fulfillment-processes/query';
import { getOrderDetail } from '@/projections/order-detail/query';
import { getOrderProgress } from '@/projections/order-progress/query';
import {
  fulfillmentStreamId,
  orderNotFound,
  orderStatuses,
  orderStreamId,
  paymentStreamId,
  shipmentStreamId,
  type OrderPlaced,
} from '@/domain';
import { traceTimeline, tracedEvent } from '../history/trace';
import { staffProcedure } from '../trpc/init';

/** Rows per page of the order list: a screen of a dense table. */
export const ordersPageSize = 50;

/**
 * Elasticsearch answers at most 10,000 hits deep (`index.max_result_window`); past that, staff narrow the search.
 * The PostgreSQL search is held to the same, so both answer alike.
 */
const maxPage = Math.floor(10_000 / ordersPageSize);

const orderId = z.uuid({ error: 'That is not an order number.' });
const day = z.iso.date({ error: 'Please give a date as YYYY-MM-DD.' });

const orderSearch = z
  .object({
    text: z.string().trim().max(200, 'Please search with at most 200 characters.').optional(),
    status: z.enum(orderStatuses, { error: `A status is one of: ${orderStatuses.join(', ')}.` }).optional(),
    customerId: z.uuid({ error: 'That is not a customer id.' }).optional(),
    placedFrom: day.optional(),
    placedTo: day.optional(),
    page: z
      .number()
      .int()
      .min(1, 'Pages are counted from 1.')
      .max(maxPage, `Only the first ${maxPage} pages can be shown; please narrow the search.`)
      .default(1),
  })
  .refine((range) => !range.placedFrom || !range.placedTo || range.placedFrom <= range.placedTo, {
    message: 'The start date must not be after the end date.',
    path: ['placedTo'],
  });

/** The earliest of some read models' checkpoints: the answer has caught up with a command once all of them have. */
function earliestCheckpoint(checkpoints: readonly string[]): string {
  return checkpoints.reduce((earliest, checkpoint) => {
    const [a, b] = [decodeToken(earliest), decodeToken(checkpoint)];
    if (!a || !b) throw new Error(`A checkpoint is not a log position: ${earliest}, ${checkpoint}`);
    return compareLogPositions(b, a) < 0 ? checkpoint : earliest;
  });
}

/** The streams that are an order's own: the order, its fulfillment process, its payment and its shipment. */
export function orderStreams(id: string): string[] {
  return [orderStreamId(id), fulfillmentStreamId(id), paymentStreamId(id), shipmentStreamId(id)];
}

/** The back office's orders: every customer's, searched, and one order's full trace. */
export const backOfficeOrdersRouter = {
  /** Every order (or one customer's) by product name or order number, status and dates; a page at a time. */
  search: staffProcedure.input(orderSearch).query(async ({ ctx, input }) => {
    const result = await ctx.search.allOrders(ctx.db.orm, { ...input, pageSize: ordersPageSize });
    // No page past the deepest one either search can answer: beyond it, staff narrow the search.
    const pageCount = Math.min(maxPage, Math.max(1, Math.ceil(result.total / ordersPageSize)));
    return { ...result, page: input.page, pageSize: ordersPageSize, pageCount };
  }),

  /** Every registered customer, for the order list's customer filter and the names beside orders. */
  customers: staffProcedure.query(({ ctx }) => listCustomers(ctx.db.orm)),

  /**
   * An order as staff investigate it: the read models' view (details, the shopper's progress steps, the
   * fulfillment process) and, from the log itself, every event of its streams and every event that shares a
   * correlation id with them, with who and what caused each. 404 when the log has no such order.
   */
  trace: staffProcedure.input(z.object({ orderId })).query(async ({ ctx, input }) => {
    const [detail, progress, process, events] = await Promise.all([
      getOrderDetail(ctx.db.orm, input.orderId),
      getOrderProgress(ctx.db.orm, input.orderId),
      getFulfillmentProcess(ctx.db.orm, input.orderId),
      ctx.store.readCorrelated(orderStreams(input.orderId)),
    ]);
    const placed = events.find((event) => event.streamId === orderStreamId(input.orderId) && event.type === 'OrderPlaced');
    if (!placed) throw orderNotFound();
    // The log's word on whose order it is: the read model may not have it yet.
    const { customerId } = placed.data as OrderPlaced['data'];
    return {
      checkpoint: earliestCheckpoint([detail.checkpoint, progress.checkpoint, process.checkpoint]),
      order: detail.order,
      customerId,
      customer: await findCustomer(ctx.db.orm, customerId),
      progress: progress.steps,
      process: process.process,
      events: events.map(tracedEvent),
      /** The same events as one timeline with the commands, timers, integration events and mail around them. */
      timeline: await traceTimeline(ctx.db, ctx.store, events),
    };
  }),
} satisfies TRPCRouterRecord;
