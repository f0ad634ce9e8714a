import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fulfillmentStreamId, orderStreamId, paymentStreamId } from '@/domain';
import { useShopDatabase } from '@/projections/testing';
import { cancelOrder } from '@/server/commands/orders';
import { orderFixture, testEnvelope } from '../testing';
import { useGateway } from '../testing-hooks';

/**
 * The worker killed with SIGKILL at every step boundary of an order's fulfillment, then started again: for
 * the n-th append of a run, once just before it is sent and once just after it committed. After each crash
 * and restart the order must end as if nothing had happened: one charge, at most one refund, the stock
 * balanced, the order delivered or cancelled, and no decision of the process taken twice.
 */
const ctx = useShopDatabase();
const gateway = useGateway(ctx, { clientTimeoutMs: 1_000 });
let shop: Awaited<ReturnType<typeof orderFixture>>;

beforeAll(async () => {
  shop = await orderFixture(ctx.store, gateway.payments, { customers: 4 });
});

/** Runs the crashing worker; resolves to whether it was killed (true) or finished (false). */
async function worker(crashAt: number, when: 'before' | 'after', timers: 'fire' | 'hold' = 'fire'): Promise<boolean> {
  const args = ['--import', 'tsx', 'processes/fulfillment/crash.fixture.ts', ctx.db.url!, gateway.gateway.url, String(crashAt), when, timers];
  try {
    await promisify(execFile)(process.execPath, args, { timeout: 60_000 });
    return false;
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGKILL') return true;
    throw error;
  }
}

const count = (types: string[], type: string) => types.filter((candidate) => candidate === type).length;
const typesOf = async (streamId: string) => (await ctx.store.readStream(streamId)).map((event) => event.type);

/** What must hold for an order however often its worker died. */
async function expectSettled(order: { orderId: string; totalCents: number }, outcome: 'delivered' | 'refunded') {
  const orderEvents = await typesOf(orderStreamId(order.orderId));
  const processEvents = await typesOf(fulfillmentStreamId(order.orderId));
  const paymentEvents = await typesOf(paymentStreamId(order.orderId));
  for (const type of ['OrderPaid', 'OrderShipped', 'OrderDelivered', 'OrderCancelled']) expect(count(orderEvents, type)).toBeLessThanOrEqual(1);
  for (const type of ['FulfillmentStarted', 'PaymentSettled', 'ShipmentRequested', 'CompensationStarted', 'FulfillmentCompleted', 'FulfillmentCancelled']) {
    expect(count(processEvents, type), type).toBeLessThanOrEqual(1);
  }
  expect(count(paymentEvents, 'PaymentRefunded')).toBeLessThanOrEqual(1);
  const charge = await gateway.payments.lookupCharge(`charge-${order.orderId}`);
  expect(charge).toMatchObject({ status: 'captured', amountCents: order.totalCents });
  const [stock] = await ctx.db.sql.query<{ reserved: number; released: number }>(
    `select coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReserved'), 0)::int as reserved,
            coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReleased'), 0)::int as released
     from events where event_type in ('StockReserved', 'StockReleased') and data->>'orderId' = $1`,
    [order.orderId],
  );
  if (outcome === 'delivered') {
    expect(orderEvents).toEqual(['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderDelivered']);
    expect(charge).toMatchObject({ refundedCents: 0 });
    expect(stock!.released).toBe(0);
  } else {
    expect(orderEvents).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCancelled']);
    expect(charge).toMatchObject({ refundedCents: order.totalCents });
    expect(stock!.released).toBe(stock!.reserved);
    expect(processEvents.at(-1)).toBe('FulfillmentCancelled');
  }
}

describe('a worker killed at every step boundary', () => {
  it.each(['before', 'after'] as const)('delivers an order exactly once, killed %s each append', async (when) => {
    for (let crashAt = 1; ; crashAt++) {
      const order = await shop.placeOrder('4242 4242 4242 4242', 2);
      const killed = await worker(crashAt, when);
      if (killed) expect(await worker(0, when)).toBe(false);
      await expectSettled(order, 'delivered');
      // The first run that is not killed has passed every boundary there is.
      if (!killed) {
        // Fraud check, process, payment, warehouse, timers: each of their appends was a place to die.
        expect(crashAt).toBeGreaterThan(15);
        break;
      }
    }
  }, 600_000);

  it.each(['before', 'after'] as const)('refunds a cancelled paid order exactly once, killed %s each append', async (when) => {
    for (let crashAt = 1; ; crashAt++) {
      const order = await shop.placeOrder('4242 4242 4242 4242', 1);
      expect(await worker(0, when, 'hold')).toBe(false);
      await cancelOrder(ctx.store, testEnvelope(), { orderId: order.orderId, customerId: order.customerId, reason: 'Changed my mind' });
      const killed = await worker(crashAt, when);
      if (killed) expect(await worker(0, when)).toBe(false);
      await expectSettled(order, 'refunded');
      if (!killed) {
        expect(crashAt).toBeGreaterThan(3);
        break;
      }
    }
  }, 600_000);
});
