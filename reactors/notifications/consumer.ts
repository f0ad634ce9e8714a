import type { ExternalConsumer, Handled } from '@/db/consumers';
import type { EventStore, StoredEvent } from '@/db/event-store';
import { customerStreamId, orderStreamId, type CustomerRegistered, type OrderPlaced, type ShopEvent } from '@/domain';
import type { Mail, Mailer } from './mailer';
import {
  orderCancelled,
  orderConfirmation,
  orderDelivered,
  orderShipped,
  paymentFailed,
  warehouseDelayAlert,
  type RenderedMail,
} from './templates';

/**
 * The shop's mail, as a reactor: it reacts to what happened (an order placed, a payment declined, a parcel
 * shipped …) and knows nothing of who made it happen. The recipient comes from the event log itself, the
 * source of truth: the order's stream for the customer and what was ordered, the customer's stream for the
 * name and address; never from a read model, which may lag behind the event being mailed about.
 *
 * Delivery guarantee. The engine moves an external consumer's checkpoint only after `applyBatch` resolved,
 * so a crash (or a failed send) repeats the batch. Every mail's Message-ID is derived from its event, so:
 * - the development mailbox stores each mail exactly once (the row is keyed by the Message-ID);
 * - SMTP delivers at least once: a duplicate happens only after a crash between the server accepting a mail
 *   and the checkpoint moving, and it carries the same Message-ID, by which a receiver can recognise it.
 * A send that fails throws: the batch is retried with a growing pause, and the Status page shows the error.
 */

export const notificationEventTypes = [
  'OrderPlaced',
  'PaymentDeclined',
  'OrderShipped',
  'OrderDelivered',
  'FulfillmentCancelled',
  'FulfillmentDelayed',
] as const satisfies readonly ShopEvent['type'][];

export type NotificationEvent = Handled<ShopEvent, (typeof notificationEventTypes)[number]>;

export const notificationKinds = {
  OrderPlaced: 'order-confirmation',
  PaymentDeclined: 'payment-failed',
  OrderShipped: 'order-shipped',
  OrderDelivered: 'order-delivered',
  FulfillmentCancelled: 'order-cancelled',
  FulfillmentDelayed: 'warehouse-delay',
} as const satisfies Record<NotificationEvent['type'], string>;

/** How many mails of a batch are sent at once: enough to hide a server's round trips, few enough to be polite. */
const sendConcurrency = 4;

/** The Message-ID of the mail about `event`: the same event always gives the same id. */
export function notificationMessageId(event: Pick<StoredEvent, 'eventId'>): string {
  return `<${event.eventId}@hindsight.shop>`;
}

export type NotificationsOptions = {
  /** Only `readStream` is used: the recipient is looked up in the log. */
  readonly store: Pick<EventStore, 'readStream'>;
  readonly mailer: Mailer;
  /** Where alerts for staff go (an order waiting too long for the warehouse). */
  readonly staffEmail: string;
};

export function notificationsConsumer(options: NotificationsOptions): ExternalConsumer<ShopEvent, NotificationEvent['type']> {
  const { mailer } = options;
  return {
    kind: 'external',
    name: 'notifications',
    handles: notificationEventTypes,
    async applyBatch(events) {
      const streams = streamCache(options.store);
      // An order's mails go out one after another, in log order (a confirmation before its shipping notice);
      // different orders' mails go out side by side.
      const byOrder = new Map<string, NotificationEvent[]>();
      for (const event of events) {
        const orderEvents = byOrder.get(event.data.orderId);
        if (orderEvents) orderEvents.push(event);
        else byOrder.set(event.data.orderId, [event]);
      }
      await forEachConcurrently([...byOrder.values()], sendConcurrency, async (orderEvents) => {
        for (const event of orderEvents) {
          const mail = await compose(event, streams, options.staffEmail);
          if (!mail) continue;
          try {
            await mailer.send(mail);
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(`could not send the ${mail.kind} mail ${mail.messageId} for order ${event.data.orderId}: ${reason}`, {
              cause: error,
            });
          }
        }
      });
    },
  };
}

/** The mail about one event, or null when there is none to send. */
async function compose(event: NotificationEvent, streams: StreamCache, staffEmail: string): Promise<Mail | null> {
  // The payment-failed mail already said the order was cancelled and why.
  if (event.type === 'FulfillmentCancelled' && event.data.cause === 'payment-declined') return null;
  const order = event.type === 'OrderPlaced' ? event.data : await streams.orderPlaced(event.data.orderId);
  // Orders from before checkout took cards are history: they were never mailed about, and are not now.
  if (order.payment === null) return null;
  const customer = await streams.customer(order.customerId);
  const customerName = customer.name;
  const { orderId } = order;
  const to = { name: customer.name, address: customer.email };
  const about = (rendered: RenderedMail, recipient = to): Mail => ({
    ...rendered,
    messageId: notificationMessageId(event),
    to: recipient,
    kind: notificationKinds[event.type],
    orderId,
  });
  switch (event.type) {
    case 'OrderPlaced':
      return about(orderConfirmation({ ...order, customerName }));
    case 'PaymentDeclined':
      return about(paymentFailed({ customerName, orderId, reason: event.data.reason }));
    case 'OrderShipped':
      return about(orderShipped({ customerName, orderId, carrier: event.data.carrier, trackingNumber: event.data.trackingNumber }));
    case 'OrderDelivered':
      return about(orderDelivered({ customerName, orderId, deliveredAt: event.data.deliveredAt }));
    case 'FulfillmentCancelled':
      return about(
        orderCancelled({ customerName, orderId, reason: event.data.reason, refundedCents: event.data.refundedCents, currency: order.currency }),
      );
    case 'FulfillmentDelayed':
      return about(
        warehouseDelayAlert({ orderId, customerName, totalCents: order.totalCents, currency: order.currency, since: event.data.since }),
        { name: 'Hindsight staff', address: staffEmail },
      );
    default: {
      const unhandled: never = event;
      throw new Error(`notifications has no mail for ${(unhandled as StoredEvent).type}`);
    }
  }
}

type StreamCache = ReturnType<typeof streamCache>;

/**
 * The streams a batch looks recipients up in, each read once per batch (a customer with three mails in one
 * batch is read once). Per batch and no longer, so a retried batch reads the log afresh.
 */
function streamCache(store: Pick<EventStore, 'readStream'>) {
  const read = new Map<string, Promise<StoredEvent[]>>();
  const stream = (streamId: string) => {
    let events = read.get(streamId);
    if (!events) read.set(streamId, (events = store.readStream(streamId)));
    return events;
  };
  // The store parsed each stored event with its version's schema and upcast it to the current shape, so a
  // stored event of a type has that type's data.
  const first = async <Data>(streamId: string, type: string): Promise<Data> => {
    const event = (await stream(streamId)).find((candidate) => candidate.type === type);
    // Every mailed event follows its order's placement by a registered customer; a stream without it means
    // the log is not what the shop wrote, which must stop the reactor with a reason, not skip a mail.
    if (!event) throw new Error(`notifications found no ${type} in the stream ${streamId}`);
    return event.data as Data;
  };
  return {
    orderPlaced: (orderId: string) => first<OrderPlaced['data']>(orderStreamId(orderId), 'OrderPlaced'),
    customer: (customerId: string) => first<CustomerRegistered['data']>(customerStreamId(customerId), 'CustomerRegistered'),
  };
}

/**
 * Runs `work` on every item, at most `limit` at a time. After a failure it starts no more, waits for those
 * already running (so no send is still in flight when the batch is retried) and throws the first error.
 */
async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}
