import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cartStreamId, fulfillmentStreamId, orderStreamId, productStreamId } from '@/domain';
import { card, expectTRPCError, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';
import { streamPageSize } from './streams';

const harness = useRouterHarness();

const key = () => ({ idempotencyKey: randomUUID() });
const staff = () => harness.request({ customerId: harness.customers.staff, cartId: null }).api;

/** Maya checks out one of a fresh product under a correlation id of the test's; the worker moves it on. */
async function mayasOrder() {
  const product = await harness.listProduct(10);
  const browser: Browser = { customerId: harness.customers.maya, cartId: null };
  const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
  browser.cartId = cartId;
  const correlationId = randomUUID();
  const checkout = { ...key(), cartId, shippingAddress, card };
  const { orderId } = await harness.request(browser, { 'x-correlation-id': correlationId }).api.cart.checkOut(checkout);
  await harness.fulfill();
  return { orderId, cartId, correlationId, checkoutKey: checkout.idempotencyKey };
}

/** Inserts an OrderPlaced as the code before v2 stored it (no address, no currency), bypassing the store. */
async function insertOrderPlacedV1(streamId: string, correlationId: string) {
  const data = {
    orderId: randomUUID(),
    customerId: randomUUID(),
    cartId: randomUUID(),
    lines: [{ productId: randomUUID(), name: 'Blue Mug', unitPriceCents: 1_250, quantity: 2 }],
    totalCents: 2_500,
    placedAt: '2025-03-01T09:00:00.000Z',
  };
  await harness.db.sql.query(
    `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
     values ($1::uuid, $2, 1, 'OrderPlaced', 1, $3::text::jsonb, $4::text::jsonb)`,
    [randomUUID(), streamId, JSON.stringify(data), JSON.stringify({ correlationId, causationId: correlationId, actor: 'customer:old', source: 'old-code' })],
  );
  return data;
}

describe('the stream browser', () => {
  it("reads a stream's events with their version, position, metadata and the command's idempotency key", async () => {
    const { orderId, correlationId, checkoutKey } = await mayasOrder();
    const page = await staff().streams.read({ streamId: orderStreamId(orderId) });
    expect(page).toMatchObject({ streamId: orderStreamId(orderId), category: 'order', exists: true, page: 1, pageCount: 1 });
    expect(page.events.map((event) => event.streamVersion)).toEqual(Array.from({ length: page.version }, (_, index) => index + 1));
    const [placed] = page.events;
    expect(placed).toMatchObject({
      type: 'OrderPlaced',
      correlationId,
      causationId: checkoutKey,
      idempotencyKey: checkoutKey,
      actor: `customer:${harness.customers.maya}`,
      source: 'web',
      upcast: false,
      unreadable: null,
      recordedAt: expect.any(Date),
    });
    expect(placed!.stored).toEqual(placed!.data);
    const positions = page.events.map((event) => event.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('shows the data as stored beside the shape the domain sees, and marks the upcast', async () => {
    const streamId = orderStreamId(randomUUID());
    const stored = await insertOrderPlacedV1(streamId, `old-${randomUUID().slice(0, 8)}`);
    const [event] = (await staff().streams.read({ streamId })).events;
    expect(event).toMatchObject({ type: 'OrderPlaced', schemaVersion: 1, currentVersion: 3, upcast: true, idempotencyKey: null });
    expect(event!.stored).toEqual(stored);
    expect(event!.data).toEqual({ ...stored, shippingAddress: null, currency: 'USD', payment: null });
  });

  it('shows an event the code cannot read with why, rather than failing the page', async () => {
    const streamId = `fixture-${randomUUID()}`;
    await harness.db.sql.query(
      `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
       values ($1::uuid, $2, 1, 'SomethingRetired', 1, '{"a":1}', '{"correlationId":"x","causationId":"x","actor":"staff","source":"test"}')`,
      [randomUUID(), streamId],
    );
    const [event] = (await staff().streams.read({ streamId })).events;
    expect(event).toMatchObject({ type: 'SomethingRetired', currentVersion: 0, data: null, upcast: false, stored: { a: 1 } });
    expect(event!.unreadable).toMatch(/not a known event type/);
  });

  it('pages a long stream by version, and a page past its end is empty', async () => {
    const product = await harness.listProduct(1);
    // Restocks until the stream fills more than a page.
    for (let restock = 0; restock < streamPageSize + 4; restock++) {
      await staff().backOffice.catalog.restock({ ...key(), productId: product.productId, quantity: 1 });
    }
    const streamId = productStreamId(product.productId);
    const first = await staff().streams.read({ streamId });
    expect(first).toMatchObject({ version: streamPageSize + 5, pageCount: 2 });
    expect(first.events).toHaveLength(streamPageSize);
    const second = await staff().streams.read({ streamId, page: 2 });
    expect(second.events.map((event) => event.streamVersion)).toEqual([51, 52, 53, 54, 55]);
    expect((await staff().streams.read({ streamId, page: 3 })).events).toEqual([]);
  });

  it('answers an unknown stream as one that does not exist, and refuses malformed input with a 400', async () => {
    expect(await staff().streams.read({ streamId: `order-${randomUUID()}` })).toMatchObject({ exists: false, version: 0, events: [] });
    await expectTRPCError(staff().streams.read({ streamId: '' }), 'BAD_REQUEST');
    await expectTRPCError(staff().streams.read({ streamId: 'order 1' }), 'BAD_REQUEST');
    await expectTRPCError(staff().streams.read({ streamId: 'x'.repeat(201) }), 'BAD_REQUEST');
    await expectTRPCError(staff().streams.read({ streamId: 'order-1', page: 0 }), 'BAD_REQUEST');
    await expectTRPCError(staff().streams.read({ streamId: 'order-1', page: 10 ** 12 }), 'BAD_REQUEST');
    await expectTRPCError(staff().streams.trace({ correlationId: 'not one; drop table' }), 'BAD_REQUEST');
  });

  it('lists the streams written to last, newest first, with their categories', async () => {
    const { orderId } = await mayasOrder();
    const recent = await staff().streams.recent();
    const ids = recent.streams.map((stream) => stream.streamId);
    expect(ids).toContain(orderStreamId(orderId));
    expect(recent.categories.map((category) => category.category)).toEqual(expect.arrayContaining(['order', 'fulfillment']));
    const latest = recent.streams.map((stream) => stream.lastRecordedAt.getTime());
    expect(latest).toEqual([...latest].sort((a, b) => b - a));
  });
});

describe('a trace by correlation id', () => {
  it('is one timeline in log order: the commands, the events across streams, the process, its timers and the integration events', async () => {
    const { orderId, cartId, correlationId, checkoutKey } = await mayasOrder();
    const trace = await staff().streams.trace({ correlationId });
    expect(trace).toMatchObject({ correlationId, complete: true });
    expect(trace.streamIds).toEqual(expect.arrayContaining([cartStreamId(cartId), orderStreamId(orderId), fulfillmentStreamId(orderId)]));
    const positions = trace.timeline.map((entry) => entry.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const kinds = new Set(trace.timeline.map((entry) => entry.kind));
    for (const kind of ['command', 'event', 'process-step', 'timer', 'integration-published', 'mail'] as const) expect(kinds).toContain(kind);
    // The checkout itself opens the timeline, with the key the browser sent it under.
    expect(trace.timeline[0]).toMatchObject({ kind: 'command', idempotencyKey: checkoutKey, actor: `customer:${harness.customers.maya}` });
    // Each of the process's appends is a command too, keyed by the event it reacted to.
    const commands = trace.timeline.filter((entry) => entry.kind === 'command');
    expect(commands.some((entry) => entry.idempotencyKey?.startsWith('fulfillment:'))).toBe(true);
    const published = trace.timeline.find((entry) => entry.kind === 'integration-published' && entry.contract === 'order.placed');
    expect(published).toMatchObject({ state: 'published' });
    const timer = trace.timeline.find((entry) => entry.kind === 'timer');
    expect(timer).toMatchObject({ timer: { state: 'scheduled' } });

    // The order's own trace has the same timeline, and more (the chains of later actions on the order).
    const orderTrace = await staff().backOffice.orders.trace({ orderId });
    expect(orderTrace.timeline.map((entry) => entry.kind)).toEqual(trace.timeline.map((entry) => entry.kind));
  });

  it('is empty for a correlation id nothing carries', async () => {
    expect(await staff().streams.trace({ correlationId: randomUUID() })).toMatchObject({ complete: true, streamIds: [], timeline: [] });
  });
});
