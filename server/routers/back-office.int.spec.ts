import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { decodeToken, hasReached } from '@/db/event-store';
import { cartStreamId, fulfillmentStreamId, orderStreamId, paymentStreamId, productStreamId } from '@/domain';
import { card, expectTRPCError, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();

const key = () => ({ idempotencyKey: randomUUID() });
const as = (customerId: string | null) => harness.request({ customerId, cartId: null }).api;
const anonymous = () => as(null);
const maya = () => as(harness.customers.maya);
const liam = () => as(harness.customers.liam);
const staff = () => as(harness.customers.staff);

/** Maya checks out one of a fresh product under a correlation id of the test's; the worker moves it on. */
async function mayasOrder(options: { quantity?: number } = {}) {
  const product = await harness.listProduct(10);
  const browser: Browser = { customerId: harness.customers.maya, cartId: null };
  const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId: product.productId, quantity: options.quantity ?? 1 });
  browser.cartId = cartId;
  const correlationId = randomUUID();
  const { orderId } = await harness
    .request(browser, { 'x-correlation-id': correlationId })
    .api.cart.checkOut({ ...key(), cartId, shippingAddress, card });
  await harness.fulfill();
  return { orderId, cartId, correlationId, product };
}

/** The zod messages of a refused input, as the form shows them beside its fields. */
function issues(error: { cause?: unknown }): string[] {
  expect(error.cause).toBeInstanceOf(ZodError);
  return (error.cause as ZodError).issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the back office is for staff only', () => {
  /** Every back-office query and command, with inputs that would be valid for staff; each called when awaited. */
  const calls = (api: ReturnType<typeof staff>): (() => Promise<unknown>)[] => [
    () => api.backOffice.orders.search({}),
    () => api.backOffice.orders.customers(),
    () => api.backOffice.orders.trace({ orderId: randomUUID() }),
    () => api.backOffice.catalog.products({}),
    () => api.sales.report({}),
    () => api.operations.status(),
    () => api.operations.broker(),
    () => api.operations.parkedProcesses(),
    () => api.operations.processCounts(),
    () => api.backOffice.catalog.list({ ...key(), name: 'Tea tin', description: 'Keeps tea dry.', category: 'Kitchen', priceCents: 1_500, initialStock: 3 }),
    () => api.backOffice.catalog.reprice({ ...key(), productId: randomUUID(), priceCents: 1_000 }),
    () => api.backOffice.catalog.restock({ ...key(), productId: randomUUID(), quantity: 5 }),
  ];

  it('asks a visitor to sign in (401) and appends nothing', async () => {
    const before = await harness.countEvents();
    for (const call of calls(anonymous())) await expectTRPCError(call(), 'UNAUTHORIZED', 'Please sign in first.');
    expect(await harness.countEvents()).toBe(before);
  });

  it('refuses a signed-in customer (403) and appends nothing', async () => {
    const before = await harness.countEvents();
    for (const call of calls(maya())) await expectTRPCError(call(), 'FORBIDDEN', 'This is for staff only.');
    expect(await harness.countEvents()).toBe(before);
  });

  it('refuses a staff command sent from another site (403)', async () => {
    const api = harness.request({ customerId: harness.customers.staff, cartId: null }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }).api;
    const product = await harness.listProduct(3);
    await expectTRPCError(api.backOffice.catalog.restock({ ...key(), productId: product.productId, quantity: 5 }), 'FORBIDDEN');
    expect(await harness.countEvents({ streamId: productStreamId(product.productId) })).toBe(1);
  });
});

describe("an order's trace", () => {
  it('has every event of the checkout across streams, with its position, correlation, causation and actor', async () => {
    const { orderId, cartId, correlationId } = await mayasOrder();
    // No catch-up needed for the events: they are read from the log.
    const trace = await staff().backOffice.orders.trace({ orderId });

    const streams = new Set(trace.events.map((event) => event.streamId));
    for (const stream of [cartStreamId(cartId), orderStreamId(orderId), fulfillmentStreamId(orderId), paymentStreamId(orderId)]) {
      expect(streams).toContain(stream);
    }
    expect(trace.events.map((event) => event.type)).toEqual(expect.arrayContaining(['CartCheckedOut', 'OrderPlaced', 'OrderPaid']));
    // Only the checkout's chain: the cart's earlier item, added under another correlation id, is not in it.
    expect(trace.events.map((event) => event.type)).not.toContain('CartItemAdded');
    for (const event of trace.events) expect(event.correlationId).toBe(correlationId);
    const positions = trace.events.map((event) => event.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const placed = trace.events.find((event) => event.type === 'OrderPlaced')!;
    expect(placed).toMatchObject({
      streamId: orderStreamId(orderId),
      streamVersion: 1,
      actor: `customer:${harness.customers.maya}`,
      source: 'web',
      recordedAt: expect.any(Date),
    });
    // Each step of the process names the event it reacted to.
    const eventIds = new Set(trace.events.map((event) => event.eventId));
    const caused = trace.events.filter((event) => event.streamId === fulfillmentStreamId(orderId));
    expect(caused.length).toBeGreaterThan(0);
    expect(caused.some((event) => eventIds.has(event.causationId))).toBe(true);
    // Whose order it is comes from the log; their name from the customers read model, once caught up.
    expect(trace.customerId).toBe(harness.customers.maya);

    await harness.catchUpAll();
    const caughtUp = await staff().backOffice.orders.trace({ orderId });
    expect(caughtUp.customer).toMatchObject({ customerId: harness.customers.maya, name: 'Maya Okafor' });
    expect(caughtUp.order).toMatchObject({ orderId, customerId: harness.customers.maya, status: 'paid' });
    expect(caughtUp.process).toMatchObject({ orderId, customerId: harness.customers.maya });
    expect(caughtUp.progress.map((step) => step.step)).toContain('payment-authorised');
  });

  it("follows the order's later chains too: the shopper's cancellation is in it, under its own correlation id", async () => {
    const { orderId, correlationId } = await mayasOrder();
    const cancelling = randomUUID();
    await harness
      .request({ customerId: harness.customers.maya, cartId: null }, { 'x-correlation-id': cancelling })
      .api.orders.cancel({ ...key(), orderId, reason: 'Changed my mind' });
    await harness.fulfill();
    const trace = await staff().backOffice.orders.trace({ orderId });
    const cancelled = trace.events.find((event) => event.type === 'OrderCancelled');
    expect(cancelled).toMatchObject({ correlationId: cancelling, actor: `customer:${harness.customers.maya}` });
    expect(new Set(trace.events.map((event) => event.correlationId))).toEqual(new Set([correlationId, cancelling]));
  });

  it('is a 404 for an order the log does not have, and a 400 for what is not an order number', async () => {
    await expectTRPCError(staff().backOffice.orders.trace({ orderId: randomUUID() }), 'NOT_FOUND', 'This order does not exist.');
    for (const orderId of ['', 'order-1', "' or 1=1 --", 'x'.repeat(10_000)]) {
      const error = await expectTRPCError(staff().backOffice.orders.trace({ orderId }), 'BAD_REQUEST');
      expect(issues(error)).toEqual(['orderId: That is not an order number.']);
    }
  });
});

describe('the order list', () => {
  it("answers staff with a page of the search read model, every customer's orders in it", async () => {
    const { orderId, product } = await mayasOrder();
    await harness.catchUpAll();
    const result = await staff().backOffice.orders.search({ text: product.name, page: 1 });
    expect(result).toMatchObject({ available: true, page: 1, pageSize: 50, checkpoint: expect.stringMatching(/^\d+\.\d+$/) });
    expect(result.pageCount).toBeGreaterThanOrEqual(1);
    expect(result.orders.map((order) => order.orderId)).toContain(orderId);
  });

  it.each([
    ['a text over 200 characters', { text: 'x'.repeat(201) }, 'text: Please search with at most 200 characters.'],
    ['a status the shop does not have', { status: 'lost' }, 'status: A status is one of: placed, paid, shipped, delivered, cancelled.'],
    ['a customer id that is not one', { customerId: 'maya' }, 'customerId: That is not a customer id.'],
    ['an empty customer id', { customerId: '' }, 'customerId: That is not a customer id.'],
    ['a date that is not one', { placedFrom: '2025-02-30' }, 'placedFrom: Please give a date as YYYY-MM-DD.'],
    ['an inverted range', { placedFrom: '2025-03-02', placedTo: '2025-03-01' }, 'placedTo: The start date must not be after the end date.'],
    ['page 0', { page: 0 }, 'page: Pages are counted from 1.'],
    ['a page past what can be shown', { page: 201 }, 'page: Only the first 200 pages can be shown; please narrow the search.'],
  ])('refuses %s with a 400 that says why', async (_, input, message) => {
    const error = await expectTRPCError(staff().backOffice.orders.search(input as never), 'BAD_REQUEST');
    expect(issues(error)).toEqual([message]);
  });

  it('lists the customers to filter by', async () => {
    await harness.catchUpAll();
    const { customers } = await staff().backOffice.orders.customers();
    expect(customers.map((customer) => customer.customerId)).toEqual(expect.arrayContaining([harness.customers.maya, harness.customers.liam]));
  });
});

describe('the catalog, managed by staff', () => {
  it('lists, reprices and restocks a product as the staff member, and the storefront shows it once caught up', async () => {
    const api = staff();
    const listed = await api.backOffice.catalog.list({
      ...key(),
      name: '  Walnut tea tray ',
      description: 'Oiled walnut, for two cups.',
      category: 'Kitchen',
      priceCents: 3_450,
      initialStock: 4,
    });
    expect(listed.token).toMatch(/^\d+\.\d+$/);
    const { productId } = listed;
    await api.backOffice.catalog.reprice({ ...key(), productId, priceCents: 2_999 });
    const restocked = await api.backOffice.catalog.restock({ ...key(), productId, quantity: 6 });

    const events = await harness.store.readStream(productStreamId(productId));
    expect(events.map((event) => event.type)).toEqual(['ProductListed', 'ProductRepriced', 'ProductRestocked']);
    for (const event of events) expect(event.metadata.actor).toBe(`staff:${harness.customers.staff}`);
    expect(events[0]?.data).toMatchObject({ name: 'Walnut tea tray', priceCents: 3_450, stock: 4 });

    await harness.catchUpAll();
    const shown = await anonymous().catalog.product({ productId });
    expect(shown.product).toMatchObject({ name: 'Walnut tea tray', priceCents: 2_999, stock: 10 });
    // The read model the storefront shows has applied the restock: the banner there would be gone.
    expect(hasReached(decodeToken(shown.checkpoint)!, decodeToken(restocked.token!)!)).toBe(true);
    const page = await api.backOffice.catalog.products({ category: 'Kitchen' });
    expect(page.products.map((product) => product.productId)).toContain(productId);
  });

  it('is a 404 to reprice or restock a product that is not listed, with nothing appended', async () => {
    const productId = randomUUID();
    await expectTRPCError(staff().backOffice.catalog.reprice({ ...key(), productId, priceCents: 100 }), 'NOT_FOUND', 'This product does not exist.');
    await expectTRPCError(staff().backOffice.catalog.restock({ ...key(), productId, quantity: 1 }), 'NOT_FOUND');
    expect(await harness.countEvents({ streamId: productStreamId(productId) })).toBe(0);
  });

  const validProduct = () => ({ ...key(), name: 'Tea tin', description: 'Keeps tea dry.', category: 'Kitchen', priceCents: 1_500, initialStock: 3 });

  it.each([
    ['an empty name', { name: '' }, 'name: Please give the product a name.'],
    ['a name of spaces', { name: '   ' }, 'name: Please give the product a name.'],
    ['a name over 120 characters', { name: 'x'.repeat(121) }, 'name: Please keep the name under 120 characters.'],
    ['an empty description', { description: '' }, 'description: Please describe the product for shoppers.'],
    ['an empty category', { category: '' }, 'category: Please give a category.'],
    ['a negative price', { priceCents: -100 }, 'priceCents: The price must be at least $0.01.'],
    ['a price of zero', { priceCents: 0 }, 'priceCents: The price must be at least $0.01.'],
    ['a price in fractions of a cent', { priceCents: 10.5 }, 'priceCents: Please give the price in whole cents.'],
    ['a price as text', { priceCents: '15.00' }, 'priceCents: Please give the price as a number.'],
    ['a price of a billion', { priceCents: 100_000_000_000 }, 'priceCents: The price must be at most $1,000,000.'],
    ['a negative stock', { initialStock: -1 }, 'initialStock: The stock cannot be negative.'],
  ])('refuses to list a product with %s (400, nothing appended)', async (_, change, message) => {
    const before = await harness.countEvents({ type: 'ProductListed' });
    const error = await expectTRPCError(staff().backOffice.catalog.list({ ...validProduct(), ...change } as never), 'BAD_REQUEST');
    expect(issues(error)).toEqual([message]);
    expect(await harness.countEvents({ type: 'ProductListed' })).toBe(before);
  });

  it.each([
    ['a bad product id', { productId: 'p-1' }, 'productId: That is not a product id.'],
    ['an empty product id', { productId: '' }, 'productId: That is not a product id.'],
    ['an over-long product id', { productId: 'x'.repeat(5_000) }, 'productId: That is not a product id.'],
    ['a negative price', { priceCents: -1 }, 'priceCents: The price must be at least $0.01.'],
  ])('refuses to reprice with %s (400, nothing appended)', async (_, change, message) => {
    const product = await harness.listProduct(3);
    const error = await expectTRPCError(
      staff().backOffice.catalog.reprice({ ...key(), productId: product.productId, priceCents: 999, ...change } as never),
      'BAD_REQUEST',
    );
    expect(issues(error)).toEqual([message]);
    expect(await harness.countEvents({ streamId: productStreamId(product.productId) })).toBe(1);
  });

  it.each([
    ['zero', 0, 'quantity: Please restock at least 1.'],
    ['a negative quantity', -5, 'quantity: Please restock at least 1.'],
    ['a fraction', 1.5, 'quantity: Stock is a whole number.'],
    ['ten million', 10_000_000, 'quantity: Please restock at most 1,000,000 at a time.'],
  ])('refuses to restock %s (400, nothing appended)', async (_, quantity, message) => {
    const product = await harness.listProduct(3);
    const error = await expectTRPCError(staff().backOffice.catalog.restock({ ...key(), productId: product.productId, quantity }), 'BAD_REQUEST');
    expect(issues(error)).toEqual([message]);
    expect(await harness.countEvents({ streamId: productStreamId(product.productId) })).toBe(1);
  });
});

describe('sales', () => {
  it('reports a range of days with a per-product breakdown, the range echoed back', async () => {
    const { product } = await mayasOrder({ quantity: 3 });
    await harness.catchUpAll();
    const today = new Date().toISOString().slice(0, 10);
    const report = await staff().sales.report({ from: today, to: today });
    expect(report).toMatchObject({ from: today, to: today });
    expect(report.days).toEqual([expect.objectContaining({ day: today })]);
    expect(report.products).toContainEqual({
      productId: product.productId,
      name: product.name,
      quantity: 3,
      orderCount: 1,
      revenueCents: 3 * product.priceCents,
    });
    // Without a range: the last 30 days, today included.
    const recent = await staff().sales.report({});
    expect(recent.days).toHaveLength(30);
    expect(recent.to).toBe(today);
  });

  it.each([
    ['an inverted range', { from: '2025-03-02', to: '2025-03-01' }, 'to: The start date must not be after the end date.'],
    ['more than 366 days', { from: '2023-01-01', to: '2025-01-01' }, 'from: Please pick at most 366 days.'],
    ['a date that is not one', { from: 'yesterday' }, 'from: Please give a date as YYYY-MM-DD.'],
    ['an empty date', { to: '' }, 'to: Please give a date as YYYY-MM-DD.'],
  ])('refuses %s with a 400 that says why', async (_, input, message) => {
    const error = await expectTRPCError(staff().sales.report(input), 'BAD_REQUEST');
    expect(issues(error)).toEqual([message]);
  });
});

describe("one customer's order, as another customer tries it", () => {
  it('is not theirs to read or act on, through any procedure, and nothing is appended', async () => {
    const { orderId } = await mayasOrder();
    await harness.catchUpAll();
    const before = await harness.countEvents();

    // Exactly as for an order that does not exist: nothing tells Liam that it does.
    expect(await liam().orders.detail({ orderId })).toMatchObject({ order: null, placed: false });
    expect(await liam().orders.detail({ orderId: randomUUID() })).toMatchObject({ order: null, placed: false });
    await expectTRPCError(liam().orders.timeline({ orderId }), 'NOT_FOUND', 'This order does not exist.');
    await expectTRPCError(liam().orders.cancel({ ...key(), orderId, reason: 'Not mine' }), 'NOT_FOUND', 'This order does not exist.');
    await expectTRPCError(liam().backOffice.orders.trace({ orderId }), 'FORBIDDEN');
    await expectTRPCError(liam().operations.cancelFulfillment({ ...key(), orderId, reason: 'Not mine' }), 'FORBIDDEN');
    await expectTRPCError(liam().operations.retryFulfillment({ ...key(), orderId }), 'FORBIDDEN');
    expect((await liam().orders.history({})).orders.map((order) => order.orderId)).not.toContain(orderId);
    expect(await harness.countEvents()).toBe(before);

    // Maya's own order is hers, and a visitor is asked to sign in.
    expect(await maya().orders.detail({ orderId })).toMatchObject({ placed: true, order: { orderId } });
    await expectTRPCError(anonymous().orders.detail({ orderId }), 'UNAUTHORIZED');
  });

  it("says a customer's own order is placed before the read model has it, so the page waits instead of a 404", async () => {
    const product = await harness.listProduct(3);
    const browser: Browser = { customerId: harness.customers.maya, cartId: null };
    const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
    const { orderId } = await harness.request({ ...browser, cartId }).api.cart.checkOut({ ...key(), cartId, shippingAddress, card });
    // No catch-up: order_detail has not reached the order.
    expect(await maya().orders.detail({ orderId })).toMatchObject({ order: null, placed: true });
    expect(await liam().orders.detail({ orderId })).toMatchObject({ order: null, placed: false });
  });

  it('refuses an order id that is not one with a 400', async () => {
    for (const orderId of ['', 'o-1', 'x'.repeat(5_000)]) {
      const error = await expectTRPCError(maya().orders.detail({ orderId }), 'BAD_REQUEST');
      expect(issues(error)).toEqual(['orderId: That is not an order number.']);
    }
  });
});
