import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/db/testing-hooks';
import type { FulfillmentPolicy } from '@/domain';
import { fulfillmentChain, orderFixture, quickPolicy } from '@/processes/testing';
import { useGateway } from '@/processes/testing-hooks';
import { projections } from '@/projections';
import { notificationsConsumer } from '@/reactors/notifications/consumer';
import { mailboxMailer } from '@/reactors/notifications/mailer';
import { allDelivered, consumerBacklog, eventCountsByOrder, ordersNotMatching, progressSteps, until, useIntegrationTest } from './testing';

/**
 * The warehouse down while orders are handed to it. The shop does not need it to be up: a shipment request
 * is a message in the broker's stream, kept there for the warehouse's durable consumer, which remembers where
 * it stopped. So orders wait after "Handed to the warehouse"; when the warehouse takes longer than the
 * policy's `warehouseOverdueMs`, the process records `FulfillmentDelayed` (once) and staff get an alert; and
 * when the warehouse is back it receives everything it missed and ships each order once.
 */
const ctx = useIntegrationTest();
// The payment gateway is a service of its own, on a database of its own for the file.
// Every order pays with the approving card: a client timeout long enough for a busy machine (the default's
// 250 ms, there for the timeout card, would send an order down the lost-answer path under load).
const gateway = useGateway(useTestDatabase(), { clientTimeoutMs: 5_000 });
/** Handed over at once, overdue after a second, delivered moments after dispatch. */
const policy: FulfillmentPolicy = { ...quickPolicy, handoverDelayMs: 0, warehouseOverdueMs: 1_000, carrierDeliveryMs: 200 };
const staffEmail = 'staff@hindsight.test';
const waitingOrders = 10;

/** The warehouse as a process of its own would run: its own connection to the broker, its durable consumer. */
async function warehouseUp() {
  const transport = ctx.transport({ name: 'hindsight-test-warehouse' });
  const warehouse = await ctx.warehouse(transport);
  return {
    async down() {
      await warehouse.stop();
      await transport.close();
    },
  };
}

describe('the warehouse down', () => {
  it('keeps orders waiting after the handover, alerts staff when overdue, and ships each once when the warehouse is back', async () => {
    const shop = ctx.transport();
    await shop.ensureStream();
    ctx.shopInbox(shop);
    const mailer = mailboxMailer(ctx.db.orm, { from: 'Hindsight <shop@hindsight.test>' });
    ctx.defer(() => mailer.close());
    ctx.runWorker([
      ...fulfillmentChain(ctx.store, gateway.payments, policy, shop),
      ...projections,
      notificationsConsumer({ store: ctx.store, mailer, staffEmail }),
    ]);
    const fixture = await orderFixture(ctx.store, gateway.payments, { customers: waitingOrders });

    // The warehouse has run before: its durable consumer exists, and knows where it stopped.
    const first = await warehouseUp();
    const early = await fixture.placeOrder('4242 4242 4242 4242');
    await until(() => allDelivered(ctx.db.sql, [early.orderId]), 'the first order delivered');
    await first.down();

    const waiting: string[] = [];
    for (let i = 0; i < waitingOrders; i++) waiting.push((await fixture.placeOrder('4242 4242 4242 4242')).orderId);
    await until(
      async () => ordersNotMatching(await eventCountsByOrder(ctx.db.sql, waiting, ['FulfillmentDelayed']), { FulfillmentDelayed: 1 }).length === 0,
      'every waiting order to be overdue',
    );
    await until(async () => {
      const [row] = await ctx.db.sql.query<{ alerts: number }>("select count(*)::int as alerts from mailbox_messages where kind = 'warehouse-delay'");
      return row!.alerts === waitingOrders;
    }, 'the staff alerts');
    const mailed = await ctx.db.sql.query<{ orderId: string; to: string; subject: string }>(
      `select order_id as "orderId", "to", subject from mailbox_messages where kind = 'warehouse-delay' order by order_id`,
    );
    expect(mailed.map((mail) => mail.orderId)).toEqual([...waiting].sort());
    expect(mailed.every((mail) => mail.to === staffEmail && / is waiting for the warehouse$/.test(mail.subject))).toBe(true);
    // The order page: handed over, then "Taking longer than usual at the warehouse", and nothing after.
    await until(async () => {
      const steps = await progressSteps(ctx.db.sql, waiting);
      return waiting.every((orderId) => steps.get(orderId)?.includes('handed-to-warehouse') && steps.get(orderId)?.at(-1) === 'warehouse-delayed');
    }, 'the order pages to say the warehouse is taking longer than usual');
    const whileDown = await eventCountsByOrder(ctx.db.sql, waiting, ['ShipmentRequested', 'ShipmentDispatched']);
    expect(ordersNotMatching(whileDown, { ShipmentRequested: 1, ShipmentDispatched: 0 })).toEqual([]);
    // The requests were published: they wait in the stream for the warehouse's durable consumer.
    await until(async () => (await consumerBacklog(ctx.names.stream, 'warehouse')).pending === waitingOrders, 'the requests kept for the warehouse');

    // Back: its durable consumer receives every request published while it was down.
    await warehouseUp();
    await until(() => allDelivered(ctx.db.sql, waiting), 'every waiting order delivered', 20_000);
    const counts = await eventCountsByOrder(ctx.db.sql, [early.orderId, ...waiting], ['ShipmentDispatched', 'OrderShipped', 'OrderDelivered']);
    expect(ordersNotMatching(counts, { ShipmentDispatched: 1, OrderShipped: 1, OrderDelivered: 1 })).toEqual([]);
    // Alerted once each, however long the wait: the overdue timer fires once.
    const alerted = await eventCountsByOrder(ctx.db.sql, waiting, ['FulfillmentDelayed']);
    expect(ordersNotMatching(alerted, { FulfillmentDelayed: 1 })).toEqual([]);
    const shipments = await ctx.db.sql.query<{ order_id: string }>("select order_id from warehouse.shipments where status = 'dispatched'");
    expect(shipments.map((row) => row.order_id).sort()).toEqual([early.orderId, ...waiting].sort());
    const [received] = await ctx.db.sql.query<{ requests: number }>('select count(*)::int as requests from warehouse.inbox');
    expect(received!.requests).toBe(waitingOrders + 1);
  }, 60_000);
});
