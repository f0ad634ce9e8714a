import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { fulfillmentStreamId, orderStreamId } from '@/domain';
import { decideFulfillment } from '@/processes/fulfillment/handle-input';
import { patientPolicy } from '@/processes/testing';
import { card, expectTRPCError, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();

const key = () => ({ idempotencyKey: randomUUID() });
const shopper = (customerId: string): Browser => ({ customerId, cartId: null });
const maya = () => harness.request(shopper(harness.customers.maya)).api;
/** The back office's staff member: operations are theirs alone. */
const staff = () => harness.request(shopper(harness.customers.staff)).api;

/** Checks out one unit of a fresh product and moves the order on until it waits, paid, for its handover. */
async function paidOrder(): Promise<{ orderId: string; totalCents: number }> {
  const product = await harness.listProduct(5);
  const browser = shopper(harness.customers.maya);
  const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
  browser.cartId = cartId;
  const { orderId } = await harness.request(browser).api.cart.checkOut({ ...key(), cartId, shippingAddress, card });
  await harness.fulfill();
  return { orderId, totalCents: product.priceCents };
}

/** Parks the order's process the way the runtime does when an input throws, keeping that input. */
async function park(orderId: string): Promise<void> {
  const now = new Date();
  const kept = { type: 'TimerElapsed', data: { name: 'no-such-timer' } };
  const reason = 'Could not handle TimerElapsed: boom';
  await decideFulfillment(
    harness.store,
    patientPolicy,
    { type: 'ParkFulfillment', data: { orderId, reason, input: kept }, metadata: { now } },
    { idempotencyKey: randomUUID(), requestHash: 'test', correlationId: 'test-park', actor: 'system:fulfillment', source: 'test', now },
  );
}

const eventTypes = async (streamId: string) => (await harness.store.readStream(streamId)).map((event) => event.type);

describe('payments.testCards', () => {
  it('lists the test cards with what each does, to anyone', async () => {
    const cards = await harness.request({ customerId: null, cartId: null }).api.payments.testCards();
    expect(cards).toContainEqual({ number: '4242 4242 4242 4242', label: 'Approved', outcome: 'The charge is captured.' });
    for (const testCard of cards) expect(Object.keys(testCard).sort()).toEqual(['label', 'number', 'outcome']);
  });
});

describe('orders.detail', () => {
  it('tells the shopper how the order is getting on, and with which card, once both read models caught up', async () => {
    const { orderId, totalCents } = await paidOrder();
    await harness.catchUpAll();
    const { checkpoint, order } = await maya().orders.detail({ orderId });
    expect(checkpoint).toMatch(/^\d+\.\d+$/);
    expect(order).toMatchObject({ status: 'paid', cardBrand: 'visa', cardLast4: '4242', refundedCents: 0 });
    const amount = `$${(totalCents / 100).toFixed(2)}`;
    expect(order?.progress.map((step) => step.message)).toEqual([
      'Order placed, paying with Visa •••• 4242',
      'Fraud check passed',
      `Payment authorised: ${amount}`,
    ]);
    // Another customer sees neither the order nor its progress.
    const liam = harness.request(shopper(harness.customers.liam)).api;
    expect((await liam.orders.detail({ orderId })).order).toBeNull();
  });
});

describe('operations: a parked fulfillment process', () => {
  it('is listed for staff, and Retry resumes it once however often it is sent', async () => {
    const { orderId } = await paidOrder();
    await park(orderId);
    await harness.catchUpAll();
    const parked = await staff().operations.parkedProcesses();
    expect(parked.checkpoint).toMatch(/^\d+\.\d+$/);
    expect(parked.processes.find((process) => process.orderId === orderId)).toMatchObject({
      stoppedWhile: 'paid',
      reason: 'Could not handle TimerElapsed: boom',
      heldInputs: 1,
      since: expect.any(Date),
    });
    expect((await staff().operations.processCounts()).counts.parked).toBeGreaterThanOrEqual(1);

    const input = { ...key(), orderId };
    const first = await staff().operations.retryFulfillment(input);
    expect(first.token).toMatch(/^\d+\.\d+$/);
    expect(first.decisions).toBeGreaterThan(0);
    const resumed = (await harness.store.readStream(fulfillmentStreamId(orderId))).filter((event) => event.type === 'FulfillmentResumed');
    expect(resumed.map((event) => event.data)).toEqual([
      expect.objectContaining({ orderId, action: 'retry', by: `staff:${harness.customers.staff}` }),
    ]);

    // A repeat (a lost response) is answered with the first result, though the process is no longer parked.
    const before = await harness.countEvents();
    expect(await staff().operations.retryFulfillment(input)).toEqual(first);
    expect(await harness.countEvents()).toBe(before);

    await harness.catchUpAll();
    expect((await staff().operations.parkedProcesses()).processes.map((process) => process.orderId)).not.toContain(orderId);
    expect((await maya().orders.detail({ orderId })).order?.status).toBe('paid');
  });

  it('Cancel order undoes it: stock back, order cancelled, money refunded, and the shopper is told so', async () => {
    const { orderId, totalCents } = await paidOrder();
    await park(orderId);
    await staff().operations.cancelFulfillment({ ...key(), orderId, reason: 'We could not complete your order.' });
    await harness.fulfill();
    await harness.catchUpAll();

    expect(await eventTypes(orderStreamId(orderId))).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCancelled']);
    const { order } = await maya().orders.detail({ orderId });
    expect(order).toMatchObject({ status: 'cancelled', cancellationReason: 'We could not complete your order.', refundedCents: totalCents });
    const amount = `$${(totalCents / 100).toFixed(2)}`;
    expect(order?.progress.map((step) => step.message)).toEqual(
      expect.arrayContaining([
        'Order cancelled: We could not complete your order.',
        'The items were put back in stock',
        `Refund of ${amount} on its way`,
        `Refunded ${amount} to your card`,
      ]),
    );
  });

  it('refuses to resume an order without a process (NOT_FOUND) or one running by itself (CONFLICT), appending nothing', async () => {
    const { orderId } = await paidOrder();
    const before = await harness.countEvents();
    await expectTRPCError(staff().operations.retryFulfillment({ ...key(), orderId: randomUUID() }), 'NOT_FOUND', 'This order has no fulfillment process.');
    await expectTRPCError(staff().operations.cancelFulfillment({ ...key(), orderId: randomUUID(), reason: 'x' }), 'NOT_FOUND');
    await expectTRPCError(staff().operations.retryFulfillment({ ...key(), orderId }), 'CONFLICT', /not waiting for staff/);
    await expectTRPCError(staff().operations.cancelFulfillment({ ...key(), orderId, reason: 'Out of stock' }), 'CONFLICT');
    expect(await harness.countEvents()).toBe(before);
  });

  it('refuses a key reused for the other action', async () => {
    const { orderId } = await paidOrder();
    await park(orderId);
    const { idempotencyKey } = key();
    await staff().operations.retryFulfillment({ idempotencyKey, orderId });
    await expectTRPCError(
      staff().operations.cancelFulfillment({ idempotencyKey, orderId, reason: 'Out of stock' }),
      'CONFLICT',
      /already used for a different request/,
    );
  });

  it('is for staff only: a visitor is asked to sign in, a customer refused, and nothing is appended', async () => {
    const { orderId } = await paidOrder();
    await park(orderId);
    const before = await harness.countEvents();
    const anonymous = harness.request({ customerId: null, cartId: null }).api;
    await expectTRPCError(anonymous.operations.retryFulfillment({ ...key(), orderId }), 'UNAUTHORIZED', 'Please sign in first.');
    await expectTRPCError(anonymous.operations.cancelFulfillment({ ...key(), orderId, reason: 'x' }), 'UNAUTHORIZED');
    await expectTRPCError(anonymous.operations.parkedProcesses(), 'UNAUTHORIZED');
    // Even the customer whose order it is: resuming a process is a staff decision.
    await expectTRPCError(maya().operations.retryFulfillment({ ...key(), orderId }), 'FORBIDDEN', 'This is for staff only.');
    await expectTRPCError(maya().operations.cancelFulfillment({ ...key(), orderId, reason: 'x' }), 'FORBIDDEN');
    // Each called only when awaited: promises made together would reject unobserved while the first is awaited.
    const queries = [() => maya().operations.parkedProcesses(), () => maya().operations.processCounts(), () => maya().operations.status(), () => maya().operations.broker()];
    for (const query of queries) await expectTRPCError(query(), 'FORBIDDEN');
    expect(await harness.countEvents()).toBe(before);
  });
});

describe('operations: hostile input', () => {
  const valid = () => ({ ...key(), orderId: randomUUID(), reason: 'Out of stock' });

  it.each([
    ['an order id that is not a UUID', { orderId: 'order-1' }, 'orderId'],
    ['no order id', { orderId: undefined }, 'orderId'],
    ['an order id that is a number', { orderId: 42 }, 'orderId'],
    ['no idempotency key', { idempotencyKey: undefined }, 'idempotencyKey'],
    ['an idempotency key that is not a UUID', { idempotencyKey: 'again' }, 'idempotencyKey'],
  ])('refuses a Retry with %s (BAD_REQUEST, nothing appended)', async (_, change, field) => {
    const before = await harness.countEvents();
    const { reason: _reason, ...input } = { ...valid(), ...change };
    const error = await expectTRPCError(staff().operations.retryFulfillment(input as { idempotencyKey: string; orderId: string }), 'BAD_REQUEST');
    expect((error.cause as ZodError).issues.map((issue) => issue.path.join('.'))).toEqual([field]);
    expect(await harness.countEvents()).toBe(before);
  });

  it.each([
    ['no reason', { reason: undefined }, 'reason'],
    ['an empty reason', { reason: '' }, 'reason'],
    ['a reason of spaces', { reason: '   ' }, 'reason'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason'],
    ['a reason that is not text', { reason: ['Out of stock'] }, 'reason'],
    ['an order id that is not a UUID', { orderId: "' or 1=1 --" }, 'orderId'],
  ])('refuses a Cancel with %s (BAD_REQUEST, nothing appended)', async (_, change, field) => {
    const before = await harness.countEvents();
    const input = { ...valid(), ...change } as ReturnType<typeof valid>;
    const error = await expectTRPCError(staff().operations.cancelFulfillment(input), 'BAD_REQUEST');
    expect(error.cause).toBeInstanceOf(ZodError);
    expect((error.cause as ZodError).issues.map((issue) => issue.path.join('.'))).toEqual([field]);
    expect(await harness.countEvents()).toBe(before);
  });

  it.each(['a\u0000b', 'half \ud800 a pair'])('refuses %j in a reason with BAD_REQUEST', async (reason) => {
    await expectTRPCError(staff().operations.cancelFulfillment({ ...valid(), reason }), 'BAD_REQUEST', /NUL characters or broken Unicode/);
  });
});
