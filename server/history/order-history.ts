import { and, desc, eq, lte } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import type { EventStore, StoredEvent } from '@/db/event-store';
import { orderEventTypes, orderNotFound, orderStreamId, type OrderStatus } from '@/domain';
import { customerOrders } from '@/projections/customer-order-history/schema';
import { orderAsOf, orderSteps, type OrderStep, type RecordedOrderEvent } from './order-as-of';

type StreamReader = Pick<EventStore, 'readStream'>;

/** A row of the customer's orders as they stood at some moment. */
export type OrderThen = {
  orderId: string;
  placedAt: Date;
  status: OrderStatus;
  totalCents: number;
  itemCount: number;
  summary: string;
};

/** As many orders as the order history page lists. */
const asOfLimit = 100;

const orderTypes: ReadonlySet<string> = new Set(orderEventTypes);

/** The store has parsed and upcast each event with its type's schema; only the type is left to check. */
function asOrderEvent(event: StoredEvent): RecordedOrderEvent {
  if (!orderTypes.has(event.type)) throw new Error(`${event.streamId} holds a ${event.type}, which is not an order event.`);
  return event as RecordedOrderEvent;
}

/** Every step of one of the customer's orders, read from its stream rather than a read model, which may lag. */
export async function readOrderHistory(
  store: StreamReader,
  { orderId, customerId }: { orderId: string; customerId: string },
): Promise<OrderStep[]> {
  const events = (await store.readStream(orderStreamId(orderId))).map(asOrderEvent);
  const [placed] = events;
  // Another customer's order reads exactly like a missing one, so an id never tells whether it exists.
  if (placed?.type !== 'OrderPlaced' || placed.data.customerId !== customerId) throw orderNotFound();
  return orderSteps(events);
}

/**
 * The customer's orders as they stood at `at`, newest first. Which orders there were comes from the
 * customer_orders read model (the log has no index by customer); what each was then comes from its stream.
 */
export async function readOrdersAsOf(
  { orm, store }: { orm: Orm; store: StreamReader },
  { customerId, at }: { customerId: string; at: Date },
): Promise<{ at: Date; orders: OrderThen[] }> {
  // Lines never change after an order is placed, so the row's count and summary are those of any moment.
  const placed = await orm
    .select({
      orderId: customerOrders.orderId,
      placedAt: customerOrders.placedAt,
      itemCount: customerOrders.itemCount,
      summary: customerOrders.summary,
    })
    .from(customerOrders)
    .where(and(eq(customerOrders.customerId, customerId), lte(customerOrders.placedAt, at)))
    .orderBy(desc(customerOrders.placedAt), desc(customerOrders.orderId))
    .limit(asOfLimit);
  const orders = await Promise.all(
    placed.map(async (row) => {
      const order = orderAsOf((await store.readStream(orderStreamId(row.orderId), { until: at })).map(asOrderEvent));
      return order && { ...row, status: order.status, totalCents: order.totalCents };
    }),
  );
  // `placedAt` is the command's clock, `until` compares the time the database recorded the event, a few
  // milliseconds later: an order placed just before `at` may not have been recorded yet, so it was not there.
  return { at, orders: orders.filter((order) => order !== null) };
}
