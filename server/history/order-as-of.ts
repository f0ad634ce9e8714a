import { assertNever, type OrderCancelled, type OrderEvent, type OrderPlaced, type OrderStatus } from '@/domain';

/**
 * An order as it stood after some event of its stream: what its page would have shown then. Times are
 * ISO-8601 text, as the events record them; a field is null until the event that sets it.
 */
export type OrderAsOf = {
  status: OrderStatus;
  lines: OrderPlaced['data']['lines'];
  totalCents: number;
  currency: string;
  shippingAddress: OrderPlaced['data']['shippingAddress'];
  placedAt: string;
  paidAt: string | null;
  paymentReference: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  deliveredAt: string | null;
  cancelledAt: string | null;
  cancellationReason: string | null;
  cancelledBy: OrderCancelled['data']['cancelledBy'] | null;
};

/** An order event with the parts of its record a step shows; a stored order event is one. */
export type RecordedOrderEvent = OrderEvent & {
  readonly streamVersion: number;
  readonly recordedAt: Date;
  readonly metadata: { readonly actor: string };
};

/** One field an event changed, typed by the field; `before` is null for what the order's first event set. */
export type OrderChange = {
  [Field in keyof OrderAsOf]: { field: Field; before: OrderAsOf[Field] | null; after: OrderAsOf[Field] };
}[keyof OrderAsOf];

export type OrderStep = {
  version: number;
  type: OrderEvent['type'];
  recordedAt: Date;
  actor: string;
  /** The order right after this event. */
  order: OrderAsOf;
  changes: OrderChange[];
};

function evolve(order: OrderAsOf | null, event: OrderEvent): OrderAsOf | null {
  // Every event but the first presupposes a placed order; before one there is no order to show, as in
  // the aggregate's own `evolveOrder`.
  switch (event.type) {
    case 'OrderPlaced': {
      const { lines, totalCents, currency, shippingAddress, placedAt } = event.data;
      return {
        status: 'placed',
        lines,
        totalCents,
        currency,
        shippingAddress,
        placedAt,
        paidAt: null,
        paymentReference: null,
        shippedAt: null,
        carrier: null,
        trackingNumber: null,
        deliveredAt: null,
        cancelledAt: null,
        cancellationReason: null,
        cancelledBy: null,
      };
    }
    case 'OrderPaid': {
      const { paidAt, paymentReference } = event.data;
      return order && { ...order, status: 'paid', paidAt, paymentReference };
    }
    case 'OrderShipped': {
      const { shippedAt, carrier, trackingNumber } = event.data;
      return order && { ...order, status: 'shipped', shippedAt, carrier, trackingNumber };
    }
    case 'OrderDelivered':
      return order && { ...order, status: 'delivered', deliveredAt: event.data.deliveredAt };
    case 'OrderCancelled': {
      const { cancelledAt, reason, cancelledBy } = event.data;
      return order && { ...order, status: 'cancelled', cancelledAt, cancellationReason: reason, cancelledBy };
    }
    default:
      return assertNever(event);
  }
}

/** The order as it stood after the last of `events` (a stream in version order); null before it was placed. */
export function orderAsOf(events: readonly OrderEvent[]): OrderAsOf | null {
  return events.reduce<OrderAsOf | null>(evolve, null);
}

/** The order after each event of its stream, oldest first, and what each event changed. */
export function orderSteps(events: readonly RecordedOrderEvent[]): OrderStep[] {
  const steps: OrderStep[] = [];
  let order: OrderAsOf | null = null;
  for (const event of events) {
    const before: OrderAsOf | null = order;
    order = evolve(order, event);
    if (!order) continue;
    steps.push({
      version: event.streamVersion,
      type: event.type,
      recordedAt: event.recordedAt,
      actor: event.metadata.actor,
      order,
      changes: changesBetween(before, order),
    });
  }
  return steps;
}

function changesBetween(before: OrderAsOf | null, after: OrderAsOf): OrderChange[] {
  // The values are the events' own JSON data, so equal JSON is an equal value (lines, the address).
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (Object.keys(after) as (keyof OrderAsOf)[])
    .filter((field) => !same(before?.[field] ?? null, after[field]))
    .map((field) => ({ field, before: before?.[field] ?? null, after: after[field] }) as OrderChange);
}
