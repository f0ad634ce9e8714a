import fc from 'fast-check';
import { expect, it } from 'vitest';
import { DomainError } from '@/domain';
import { useShopDatabase } from '@/projections/testing';
import { cancelOrder } from '@/server/commands/orders';
import { orderFixture, quickPolicy, settleFulfillment, testEnvelope } from '../testing';
import { useGateway } from '../testing-hooks';

/**
 * A chaos run: 500 orders against the payment gateway simulator with random cards (declines, timeouts, lost
 * answers, flagged cards), a gateway that fails a share of its charges outright, and customers cancelling
 * some orders half-way. Afterwards the books must balance: every order delivered or cancelled, the money
 * captured minus refunded equal to the totals of the orders not cancelled, no order shipped unpaid, and every
 * reservation released or shipped.
 */
const orders = 500;
const ctx = useShopDatabase();
const gateway = useGateway(ctx, { failureRate: 0.15, latencyJitterMs: 5, timeoutHoldMs: 400, random: seeded(7), clientTimeoutMs: 200 });

/** A deterministic source of randomness, so a failing run can be repeated. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const cards = [
  '4242 4242 4242 4242',
  '4242 4242 4242 4242',
  '4242 4242 4242 4242',
  '4000 0000 0000 9995',
  '4000 0000 0000 0069',
  '4000 0000 0000 0119',
  '4000 0000 0000 0259',
  '4100 0000 0000 0019',
];

it(`settles ${orders} orders with random declines, timeouts, lost answers and cancellations`, async () => {
  // Few orders per customer: five in an hour would be the fraud check's business, not this test's.
  const { payments } = gateway;
  const shop = await orderFixture(ctx.store, payments, { customers: orders / 2 });
  const plan = fc.sample(fc.record({ card: fc.constantFrom(...cards), quantity: fc.integer({ min: 1, max: 3 }), cancel: fc.boolean() }), {
    numRuns: orders,
    seed: 42,
  });
  const placed = [];
  for (const step of plan) placed.push({ ...(await shop.placeOrder(step.card, step.quantity)), cancel: step.cancel && Math.random() < 0.2 });
  const source = { ...ctx.source, sql: ctx.db.sql };

  // Half-way (no timer has fired), some customers change their mind; an order already cancelled stays so.
  await settleFulfillment(source, payments, quickPolicy, { timersDueBy: new Date(0) });
  for (const order of placed.filter((candidate) => candidate.cancel)) {
    await cancelOrder(ctx.store, testEnvelope(), { orderId: order.orderId, customerId: order.customerId, reason: 'Changed my mind' }).catch(
      (error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
      },
    );
  }
  await settleFulfillment(source, payments, quickPolicy, { timersDueBy: new Date(Date.now() + 24 * 60 * 60_000), maxRounds: 200 });

  const outcomes = await ctx.db.sql.query<{ orderId: string; last: string; paid: boolean; shipped: boolean; totalCents: number }>(
    `select o.data->>'orderId' as "orderId", (o.data->>'totalCents')::int as "totalCents",
       (select event_type from events e where e.stream_id = o.stream_id order by stream_version desc limit 1) as last,
       exists (select from events e where e.stream_id = o.stream_id and e.event_type = 'OrderPaid') as paid,
       exists (select from events e where e.stream_id = o.stream_id and e.event_type = 'OrderShipped') as shipped
     from events o where o.event_type = 'OrderPlaced'`,
  );
  expect(outcomes).toHaveLength(orders);
  // Every order reached an end.
  expect(outcomes.filter((order) => order.last !== 'OrderDelivered' && order.last !== 'OrderCancelled')).toEqual([]);
  // No order shipped unpaid.
  expect(outcomes.filter((order) => order.shipped && !order.paid)).toEqual([]);
  // The money: captured minus refunded is exactly what the orders that stand cost.
  const ledger = await payments.ledger();
  const standing = outcomes.filter((order) => order.last === 'OrderDelivered').reduce((sum, order) => sum + order.totalCents, 0);
  expect(ledger.capturedCents - ledger.refundedCents).toBe(standing);
  // The stock: every reservation was shipped (delivered) or released (cancelled).
  const stock = await ctx.db.sql.query<{ orderId: string; reserved: number; released: number }>(
    `select data->>'orderId' as "orderId",
       coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReserved'), 0)::int as reserved,
       coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReleased'), 0)::int as released
     from events where event_type in ('StockReserved', 'StockReleased') group by data->>'orderId'`,
  );
  const cancelled = new Set(outcomes.filter((order) => order.last === 'OrderCancelled').map((order) => order.orderId));
  expect(stock.filter((row) => row.released !== (cancelled.has(row.orderId) ? row.reserved : 0))).toEqual([]);
  // Some of each happened, or the run proved little.
  expect(cancelled.size).toBeGreaterThan(orders / 10);
  expect(orders - cancelled.size).toBeGreaterThan(orders / 4);
}, 600_000);
