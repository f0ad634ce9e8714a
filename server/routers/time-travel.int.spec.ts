import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectTRPCError, card, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();
const key = () => ({ idempotencyKey: randomUUID() });
const day = (instant: Date) => instant.toISOString().slice(0, 10);
const daysAfter = (instant: Date, days: number) => new Date(instant.getTime() + days * 86_400_000);

/** Maya buys two of a fresh product and pays; returns her API, the order and what it cost. */
async function placeAndPay() {
  const product = await harness.listProduct(5);
  const maya: Browser = { customerId: harness.customers.maya, cartId: null };
  const { api } = harness.request(maya);
  const added = await api.cart.addItem({ ...key(), productId: product.productId, quantity: 2 });
  const { orderId } = await api.cart.checkOut({ ...key(), shippingAddress, card, cartId: added.cartId });
  // The fulfillment process charges the card and pays the order.
  await harness.fulfill();
  return { api, orderId, product, totalCents: 2 * product.priceCents };
}

const liam = () => harness.request({ customerId: harness.customers.liam, cartId: null }).api;

describe("an order's timeline", () => {
  it('shows the order after each of its events, read from its stream', async () => {
    const { api, orderId, totalCents } = await placeAndPay();

    // No catch-up: the timeline reads the log, so it is current the moment a command returns.
    const { steps } = await api.orders.timeline({ orderId });

    expect(steps.map((step) => [step.version, step.type])).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderPaid'],
    ]);
    const [placed, paid] = steps;
    expect(placed).toMatchObject({
      actor: `customer:${harness.customers.maya}`,
      order: { status: 'placed', totalCents, currency: 'USD', shippingAddress, paymentReference: null },
    });
    expect(placed?.changes).toContainEqual({ field: 'status', before: null, after: 'placed' });
    expect(paid?.order).toMatchObject({ status: 'paid', paymentReference: expect.stringMatching(/^ch_/) });
    expect(paid?.changes).toEqual([
      { field: 'status', before: 'placed', after: 'paid' },
      { field: 'paidAt', before: null, after: expect.any(String) },
      { field: 'paymentReference', before: null, after: paid?.order.paymentReference },
    ]);
  });

  it("is not found for another customer's order, exactly as for an order that does not exist", async () => {
    const { orderId } = await placeAndPay();

    await expectTRPCError(liam().orders.timeline({ orderId }), 'NOT_FOUND', 'This order does not exist.');
    await expectTRPCError(liam().orders.timeline({ orderId: randomUUID() }), 'NOT_FOUND', 'This order does not exist.');
  });
});

describe('the orders as they stood at the end of a day', () => {
  it('lists an order as it was on the days since it was placed, and not before', async () => {
    const { api, orderId, product, totalCents } = await placeAndPay();
    await harness.catchUpAll();
    const now = new Date();

    const today = await api.orders.asOf({ date: day(now) });
    expect(today.at).toEqual(new Date(`${day(now)}T23:59:59.999Z`));
    expect(today.orders).toContainEqual({
      orderId,
      placedAt: expect.any(Date),
      status: 'paid',
      totalCents,
      itemCount: 2,
      summary: product.name,
    });

    const placedAt = today.orders.find((order) => order.orderId === orderId)!.placedAt;
    const before = await api.orders.asOf({ date: day(daysAfter(placedAt, -1)) });
    expect(before.orders.map((order) => order.orderId)).not.toContain(orderId);

    expect((await liam().orders.asOf({ date: day(now) })).orders.map((order) => order.orderId)).not.toContain(orderId);
  });

  it('refuses a day in the future', async () => {
    const { api } = harness.request({ customerId: harness.customers.maya, cartId: null });

    await expectTRPCError(api.orders.asOf({ date: day(daysAfter(new Date(), 1)) }), 'BAD_REQUEST', 'Pick a day up to today.');
  });
});

describe('time travel with hostile input', () => {
  it.each([{}, { orderId: 'not-a-uuid' }, { orderId: 42 }, { orderId: `${randomUUID()}'; drop table events;--` }])(
    'refuses the timeline of %o with BAD_REQUEST',
    async (input) => {
      await expectTRPCError(liam().orders.timeline(input as { orderId: string }), 'BAD_REQUEST');
    },
  );

  it.each([{}, { date: 'yesterday' }, { date: '2025-13-40' }, { date: 20250301 }, { date: '9999-12-31' }])(
    'refuses the orders as of %o with BAD_REQUEST',
    async (input) => {
      await expectTRPCError(liam().orders.asOf(input as { date: string }), 'BAD_REQUEST');
    },
  );
});
