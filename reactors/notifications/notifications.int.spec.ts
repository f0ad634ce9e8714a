import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { readCheckpoint, rewindCheckpoint } from '@/db/event-store';
import {
  customerStreamId,
  fulfillmentStreamId,
  orderStreamId,
  paymentStreamId,
  type Line,
  type OrderPayment,
  type OrderPlaced,
} from '@/domain';
import { appendShopEvents, testAddress, useShopDatabase } from '@/projections/testing';
import { notificationsConsumer } from './consumer';
import { mailboxMailer, smtpMailer, type Mailer } from './mailer';
import { listMailbox, readMailboxMessage } from './query';
import { mailboxMessages } from './schema';
import { startSmtpListener, type ReceivedMail, type SmtpListener } from './smtp-listener.fixture';

const ctx = useShopDatabase();
const from = 'Hindsight <shop@hindsight.test>';
const card: OrderPayment = { token: 'tok_x', last4: '4242', brand: 'visa', cardRisk: 'normal' };
const lines: Line[] = [
  { productId: 'product-mug', name: 'Blue mug', unitPriceCents: 1250, quantity: 2 },
  { productId: 'product-tea', name: 'Green tea', unitPriceCents: 500, quantity: 1 },
];

/** What the test opened, closed after it whether it passed or not. */
const opened: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.close()));
});

async function listener(options: { port?: number } = {}): Promise<SmtpListener> {
  const started = await startSmtpListener(options);
  opened.push(started);
  return started;
}

function track(mailer: Mailer): Mailer {
  opened.push(mailer);
  return mailer;
}

/**
 * The reactor under a checkpoint of the test's own: it reads the whole log (earlier tests' events too), and
 * each test looks only at the mails about its own ids.
 */
function consumer(key: string, mailer: Mailer, staffEmail: string) {
  return { ...notificationsConsumer({ store: ctx.store, mailer, staffEmail }), name: `notifications_${key}` };
}

const placed = (orderId: string, customerId: string, payment: OrderPayment | null): OrderPlaced => ({
  type: 'OrderPlaced',
  data: { orderId, customerId, cartId: `cart-${orderId}`, lines, totalCents: 3000, currency: 'USD', shippingAddress: testAddress, payment, placedAt: '2025-05-01T09:00:00.000Z' },
});

/**
 * A customer's week at the shop, under fresh ids: an order shipped and delivered, one whose card was declined,
 * one the warehouse was late with and that was then cancelled with a refund, and one from before checkout took
 * cards (never mailed). Returns the ids and the Message-ID each mail must carry.
 */
async function aWeekOfOrders(key: string) {
  const customerId = `customer-${key}`;
  const email = `ann.${key}@example.com`;
  const staffEmail = `staff.${key}@hindsight.test`;
  const [delivered, declined, delayed, legacy] = ['delivered', 'declined', 'delayed', 'legacy'].map(() => randomUUID()) as [string, string, string, string];
  await appendShopEvents(ctx.store, [
    { streamId: customerStreamId(customerId), events: [{ type: 'CustomerRegistered', data: { customerId, name: "Ann O'Hara", email, registeredAt: '2025-04-01T08:00:00.000Z' } }] },
    { streamId: orderStreamId(legacy), events: [placed(legacy, customerId, null)] },
    { streamId: orderStreamId(delivered), events: [placed(delivered, customerId, card)] },
    { streamId: orderStreamId(declined), events: [placed(declined, customerId, card)] },
    { streamId: orderStreamId(delayed), events: [placed(delayed, customerId, card)] },
  ]);
  await appendShopEvents(ctx.store, [
    {
      streamId: paymentStreamId(declined),
      events: [{ type: 'PaymentDeclined', data: { orderId: declined, idempotencyKey: `charge-${declined}`, reason: 'insufficient_funds', message: 'Insufficient funds', declinedAt: '2025-05-01T09:00:02.000Z' } }],
    },
    {
      streamId: fulfillmentStreamId(declined),
      events: [{ type: 'FulfillmentCancelled', data: { orderId: declined, cause: 'payment-declined', reason: 'Payment declined: the card has insufficient funds.', refundedCents: 0, cancelledAt: '2025-05-01T09:00:03.000Z' } }],
    },
    {
      streamId: orderStreamId(delivered),
      events: [
        { type: 'OrderShipped', data: { orderId: delivered, carrier: 'UPS', trackingNumber: `1Z-${key}`, shippedAt: '2025-05-02T10:00:00.000Z' } },
        { type: 'OrderDelivered', data: { orderId: delivered, deliveredAt: '2025-05-04T15:00:00.000Z' } },
      ],
    },
    {
      streamId: fulfillmentStreamId(delayed),
      events: [
        { type: 'FulfillmentDelayed', data: { orderId: delayed, waitingFor: 'warehouse', since: '2025-05-01T09:01:00.000Z', alertedAt: '2025-05-01T09:16:00.000Z' } },
        { type: 'FulfillmentCancelled', data: { orderId: delayed, cause: 'items-missing', reason: 'An item is out of stock at the warehouse.', refundedCents: 3000, cancelledAt: '2025-05-01T10:00:00.000Z' } },
      ],
    },
    { streamId: orderStreamId(legacy), events: [{ type: 'OrderShipped', data: { orderId: legacy, carrier: 'DHL', trackingNumber: 'JD-legacy', shippedAt: '2025-05-02T10:00:00.000Z' } }] },
  ]);
  const messageIdOf = async (streamId: string, type: string) => {
    const event = (await ctx.store.readStream(streamId)).find((candidate) => candidate.type === type);
    if (!event) throw new Error(`no ${type} in ${streamId}`);
    return `<${event.eventId}@hindsight.shop>`;
  };
  return {
    email,
    staffEmail,
    orderIds: [delivered, declined, delayed, legacy],
    /** Every mail the week must cause, by Message-ID: who gets it, its kind and order. */
    expected: {
      [await messageIdOf(orderStreamId(delivered), 'OrderPlaced')]: { to: email, kind: 'order-confirmation', orderId: delivered },
      [await messageIdOf(orderStreamId(declined), 'OrderPlaced')]: { to: email, kind: 'order-confirmation', orderId: declined },
      [await messageIdOf(orderStreamId(delayed), 'OrderPlaced')]: { to: email, kind: 'order-confirmation', orderId: delayed },
      [await messageIdOf(orderStreamId(delivered), 'OrderShipped')]: { to: email, kind: 'order-shipped', orderId: delivered },
      [await messageIdOf(orderStreamId(delivered), 'OrderDelivered')]: { to: email, kind: 'order-delivered', orderId: delivered },
      [await messageIdOf(paymentStreamId(declined), 'PaymentDeclined')]: { to: email, kind: 'payment-failed', orderId: declined },
      [await messageIdOf(fulfillmentStreamId(delayed), 'FulfillmentDelayed')]: { to: staffEmail, kind: 'warehouse-delay', orderId: delayed },
      [await messageIdOf(fulfillmentStreamId(delayed), 'FulfillmentCancelled')]: { to: email, kind: 'order-cancelled', orderId: delayed },
    } as Record<string, { to: string; kind: string; orderId: string }>,
    delivered,
    declined,
    delayed,
  };
}

type Week = Awaited<ReturnType<typeof aWeekOfOrders>>;

/**
 * The mails the listener received about `week`'s orders, by Message-ID, in the shape of `week.expected`. By
 * order, not by recipient: the test's staff address also gets the alerts about earlier tests' orders.
 */
function receivedFor(smtp: SmtpListener, week: Week) {
  const ours = smtp.messages.filter((mail) => week.orderIds.includes(mail.header('x-hindsight-order-id') ?? ''));
  return Object.fromEntries(
    ours.map((mail) => [mail.messageId, { to: mail.recipients.join(', '), kind: mail.header('x-hindsight-kind'), orderId: mail.header('x-hindsight-order-id') }]),
  );
}

function mailAbout(smtp: SmtpListener, week: Week, kind: string, orderId: string): ReceivedMail {
  const mail = smtp.messages.find((candidate) => candidate.header('x-hindsight-kind') === kind && candidate.header('x-hindsight-order-id') === orderId);
  if (!mail) throw new Error(`no ${kind} mail for ${orderId} among ${week.email}'s`);
  return mail;
}

describe('notifications over SMTP', () => {
  it('mails each customer (and staff) once per event, from the log, with Message-IDs derived from the events', async () => {
    const key = randomUUID().slice(0, 8);
    const week = await aWeekOfOrders(key);
    const smtp = await listener();
    const notifications = consumer(key, track(smtpMailer({ url: smtp.url, from })), week.staffEmail);

    // Batches of three: an order's mails are spread over several batches and still go out in order.
    await catchUp(ctx.source, notifications, { batchSize: 3 });

    expect(receivedFor(smtp, week)).toEqual(week.expected);
    const confirmation = mailAbout(smtp, week, 'order-confirmation', week.delivered);
    expect(confirmation.to).toEqual([week.email]);
    expect(confirmation.from).toBe('shop@hindsight.test');
    expect(confirmation.subject).toBe(`Your order #${week.delivered.slice(0, 8)} is confirmed`);
    expect(confirmation.text).toContain("Hello Ann O'Hara,");
    expect(confirmation.text).toContain('2 × Blue mug: $25.00');
    expect(confirmation.text).toContain('Total: $30.00');
    expect(confirmation.text).toContain('1 Test Lane');
    expect(confirmation.html).toContain('Hello Ann O&#39;Hara,');

    const shipped = mailAbout(smtp, week, 'order-shipped', week.delivered);
    expect(shipped.subject).toBe(`Your order #${week.delivered.slice(0, 8)} has shipped`);
    expect(shipped.text).toContain(`Tracking number: 1Z-${key}`);
    expect(mailAbout(smtp, week, 'order-delivered', week.delivered).text).toContain('delivered on 4 May 2025');
    expect(mailAbout(smtp, week, 'payment-failed', week.declined).text).toContain('the card has insufficient funds');
    const cancelled = mailAbout(smtp, week, 'order-cancelled', week.delayed);
    expect(cancelled.text).toContain('Reason: An item is out of stock at the warehouse.');
    expect(cancelled.text).toContain('We have refunded $30.00 to your card.');
    const alert = mailAbout(smtp, week, 'warehouse-delay', week.delayed);
    expect(alert.recipients).toEqual([week.staffEmail]);
    expect(alert.subject).toBe(`Order #${week.delayed.slice(0, 8)} is waiting for the warehouse`);

    // The shipping notice went out after the confirmation of the same order.
    const order = smtp.messages.filter((mail) => mail.header('x-hindsight-order-id') === week.delivered).map((mail) => mail.header('x-hindsight-kind'));
    expect(order).toEqual(['order-confirmation', 'order-shipped', 'order-delivered']);
  });

  it('sends a repeated batch again under the same Message-IDs, so a receiver can recognise the duplicates', async () => {
    const key = randomUUID().slice(0, 8);
    const week = await aWeekOfOrders(key);
    const smtp = await listener();
    const notifications = consumer(key, track(smtpMailer({ url: smtp.url, from })), week.staffEmail);
    await catchUp(ctx.source, notifications, { batchSize: 500 });

    // As after a crash between the server's acknowledgement and the checkpoint: the log is read again.
    await ctx.db.orm.transaction((tx) => rewindCheckpoint(tx, notifications.name));
    await catchUp(ctx.source, notifications, { batchSize: 500 });

    const ids = smtp.messages.filter((mail) => mail.recipients.includes(week.email)).map((mail) => mail.messageId);
    const expectedIds = Object.entries(week.expected).filter(([, mail]) => mail.to === week.email).map(([id]) => id);
    expect(ids.sort()).toEqual([...expectedIds, ...expectedIds].sort());
  });

  it('fails the batch while the SMTP server is down, and delivers once it is back', async () => {
    const key = randomUUID().slice(0, 8);
    const week = await aWeekOfOrders(key);
    const down = await startSmtpListener();
    await down.close();
    const notifications = consumer(key, track(smtpMailer({ url: down.url, from })), week.staffEmail);

    await expect(catchUp(ctx.source, notifications, { batchSize: 500 })).rejects.toThrow(/could not send the .* mail <.*@hindsight\.shop>/);
    expect(await readCheckpoint(ctx.db.orm, notifications.name)).toEqual({ transactionId: 0, position: 0 });

    // The same server comes back, on the same port: the same consumer delivers everything.
    const back = await listener({ port: down.port });
    await catchUp(ctx.source, notifications, { batchSize: 500 });
    expect(receivedFor(back, week)).toEqual(week.expected);
  });
});

describe('notifications into the development mailbox', () => {
  const rowsFor = (orderIds: string[]) =>
    ctx.db.orm.select().from(mailboxMessages).where(inArray(mailboxMessages.orderId, orderIds));

  it('stores each mail once, even when the same events are applied twice', async () => {
    const key = randomUUID().slice(0, 8);
    const week = await aWeekOfOrders(key);
    const notifications = consumer(key, track(mailboxMailer(ctx.db.orm, { from })), week.staffEmail);
    await catchUp(ctx.source, notifications, { batchSize: 500 });
    const stored = await rowsFor(week.orderIds);
    expect(Object.fromEntries(stored.map((row) => [row.messageId, { to: row.to, kind: row.kind, orderId: row.orderId }]))).toEqual(week.expected);

    await ctx.db.orm.transaction((tx) => rewindCheckpoint(tx, notifications.name));
    await catchUp(ctx.source, notifications, { batchSize: 2 });
    expect(await rowsFor(week.orderIds)).toEqual(stored);
  });

  it('lists the newest mail first and opens one by its Message-ID', async () => {
    const key = randomUUID().slice(0, 8);
    const week = await aWeekOfOrders(key);
    await catchUp(ctx.source, consumer(key, track(mailboxMailer(ctx.db.orm, { from })), week.staffEmail), { batchSize: 500 });

    const listed = await listMailbox(ctx.db.orm);
    const sentAts = listed.map((entry) => entry.sentAt.getTime());
    expect(sentAts).toEqual([...sentAts].sort((a, b) => b - a));
    const [cancelledId] = Object.entries(week.expected).find(([, mail]) => mail.kind === 'order-cancelled') ?? [];
    expect(listed.map((entry) => entry.messageId)).toContain(cancelledId);

    const message = await readMailboxMessage(ctx.db.orm, cancelledId!);
    expect(message).toMatchObject({ to: week.email, kind: 'order-cancelled', orderId: week.delayed });
    expect(message?.text).toContain('We have refunded $30.00 to your card.');
    expect(message?.html).toContain('<!doctype html>');
    expect(await readMailboxMessage(ctx.db.orm, '<nothing@hindsight.shop>')).toBeNull();
  });
});
