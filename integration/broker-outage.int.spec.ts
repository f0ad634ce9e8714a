import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readConsumerStatus } from '@/db/consumers';
import { useTestDatabase } from '@/db/testing-hooks';
import type { FulfillmentPolicy } from '@/domain';
import { fulfillmentChain, orderFixture, quickPolicy } from '@/processes/testing';
import { useGateway } from '@/processes/testing-hooks';
import { projections } from '@/projections';
import { getOrderDetail } from '@/projections/order-detail/query';
import { allDelivered, eventCountsByOrder, ordersNotMatching, progressSteps, storedMessages, until, useIntegrationTest } from './testing';

/**
 * The broker down for 30 s while orders keep coming, and longer if this machine needs it: until forty orders
 * have come in and every one of them waits at the handover. Nothing in the command path touches the broker: a
 * checkout is an append to the log, and the read models and the fulfillment process read the log, so they
 * carry on. Only the relay needs the broker; its batch fails, its checkpoint stays, and the engine retries it
 * with a growing pause. Orders therefore stop after "Handed to the warehouse" and wait, and when the broker is
 * back the relay publishes the backlog, the warehouse's durable consumer receives it, and its answers come
 * back through the shop's inbox: every order delivered, each shipped once.
 */
const ctx = useIntegrationTest();
// The payment gateway is a service of its own, on a database of its own for the file.
// Every order pays with the approving card: a client timeout long enough for a busy machine (the default's
// 250 ms, there for the timeout card, would send an order down the lost-answer path under load).
const gateway = useGateway(useTestDatabase(), { clientTimeoutMs: 5_000 });
/** Handed over at once and delivered moments after dispatch; no staff alert within the test. */
const policy: FulfillmentPolicy = { ...quickPolicy, handoverDelayMs: 0, carrierDeliveryMs: 200, warehouseOverdueMs: 10 * 60_000 };
/** The outage, at least: the broker's half-minute restart. */
const outageMs = 30_000;
/** Orders placed while the broker is down before it comes back: enough to show checkout goes on. */
const placedDuringOutage = 40;
const placeEveryMs = 250;

type Phase = 'before' | 'during' | 'after';

/**
 * What the order page shows an order waiting for the warehouse: paid and handed over, nothing after. Compared
 * as a set: the rows are read in log order here, and the page's query puts them in the order they happened.
 */
const waitingAtTheWarehouse = ['placed', 'fraud-check-passed', 'payment-authorised', 'handed-to-warehouse'];
const sameSteps = (steps: readonly string[] | undefined, expected: readonly string[]) =>
  steps !== undefined && steps.length === expected.length && expected.every((step) => steps.includes(step));

describe('the broker down for 30 s under load', () => {
  it('keeps checkout and the read models going, holds orders after the handover, and ships each once when it is back', async () => {
    const broker = await ctx.localBroker();
    const shop = ctx.transport({ servers: broker.url });
    await shop.ensureStream();
    await ctx.warehouse(ctx.transport({ servers: broker.url, name: 'hindsight-test-warehouse' }));
    ctx.shopInbox(shop);
    ctx.runWorker([...fulfillmentChain(ctx.store, gateway.payments, policy, shop), ...projections]);

    // Two orders per customer at most: more in an hour would be the fraud check's business, not this test's.
    const fixture = await orderFixture(ctx.store, gateway.payments, { customers: 100 });
    let phase: Phase = 'before';
    let placing = true;
    const placed: { orderId: string; phase: Phase }[] = [];
    const refused: unknown[] = [];
    const placer = (async () => {
      while (placing) {
        const startedAt = Date.now();
        const placedIn = phase;
        try {
          placed.push({ orderId: (await fixture.placeOrder('4242 4242 4242 4242')).orderId, phase: placedIn });
        } catch (error) {
          refused.push(error);
        }
        await sleep(Math.max(0, placeEveryMs - (Date.now() - startedAt)));
      }
    })();
    ctx.defer(async () => {
      placing = false;
      await placer;
    });
    const ids = (only?: Phase) => placed.filter((order) => !only || order.phase === only).map((order) => order.orderId);

    // Before: orders go all the way through the broker and back.
    await until(() => ids().length >= 8, 'a few orders placed');
    await until(() => allDelivered(ctx.db.sql, ids().slice(0, 8)), 'the first orders delivered through the broker', 20_000);

    await broker.kill();
    const outageStartedAt = Date.now();
    phase = 'during';
    // During: checkout works, and the read models and the process keep up to the handover, where orders wait.
    // Conditions, not a clock: on a busy machine orders come in more slowly and reach the handover later.
    await until(() => ids('during').length >= placedDuringOutage, `${placedDuringOutage} orders placed while the broker is down`, 60_000);
    const duringOutage = ids('during');
    await until(
      async () => {
        const steps = await progressSteps(ctx.db.sql, duringOutage);
        return duringOutage.every((orderId) => sameSteps(steps.get(orderId), waitingAtTheWarehouse));
      },
      'every order placed during the outage to wait at "handed to the warehouse"',
      30_000,
    );
    expect(refused).toEqual([]);
    const lastPlaced = duringOutage.at(-1)!;
    expect((await getOrderDetail(ctx.db.orm, lastPlaced)).order).toMatchObject({ orderId: lastPlaced });
    const waiting = await eventCountsByOrder(ctx.db.sql, duringOutage, ['ShipmentRequested', 'ShipmentDispatched', 'OrderShipped']);
    expect(ordersNotMatching(waiting, { ShipmentRequested: 1, ShipmentDispatched: 0, OrderShipped: 0 })).toEqual([]);
    const relayDuring = (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === 'integration_relay');
    expect(relayDuring).toMatchObject({ failingSince: expect.any(Date), lastError: expect.any(String) });
    expect(relayDuring!.behindEvents).toBeGreaterThan(0);

    // The conditions above are the least the outage holds for; the clock, the least it lasts.
    await sleep(Math.max(0, outageStartedAt + outageMs - Date.now()));
    await broker.start();
    const backAt = Date.now();
    phase = 'after';
    await until(() => ids('after').length >= 10, 'orders placed after the outage', 20_000);
    placing = false;
    await placer;
    expect(refused).toEqual([]);

    // After: the relay and the warehouse catch up, and every order, whenever it was placed, is delivered.
    const all = ids();
    await until(() => allDelivered(ctx.db.sql, all), 'every order delivered', 90_000);
    const caughtUpMs = Date.now() - backAt;
    const counts = await eventCountsByOrder(ctx.db.sql, all, ['ShipmentRequested', 'ShipmentDispatched', 'OrderShipped', 'OrderDelivered']);
    expect(ordersNotMatching(counts, { ShipmentRequested: 1, ShipmentDispatched: 1, OrderShipped: 1, OrderDelivered: 1 })).toEqual([]);
    const shipments = await ctx.db.sql.query<{ order_id: string }>("select order_id from warehouse.shipments where status = 'dispatched'");
    expect(shipments.map((row) => row.order_id).sort()).toEqual([...all].sort());
    const requests = await storedMessages(ctx.names.stream, shop.subjects.of('shipment.requested'), broker.url);
    expect(new Set(requests.map((message) => message.id)).size).toBe(requests.length);
    expect(requests).toHaveLength(all.length);
    const relayAfter = (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === 'integration_relay');
    expect(relayAfter).toMatchObject({ failingSince: null });
    console.info(
      `orders: ${ids('before').length} before, ${ids('during').length} during, ${ids('after').length} after the outage; ` +
        `all delivered ${(caughtUpMs / 1_000).toFixed(1)} s after the broker was back`,
    );
    // Longer than its waits together (230 s), which then fail first and say what they waited for.
  }, 300_000);
});
