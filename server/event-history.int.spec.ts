import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import type { TestContext } from '@/db/testing-hooks';
import { fold, orderDecider, orderStreamId, productStreamId, type OrderState } from '@/domain';
import { orderDetailProjection } from '@/projections/order-detail/projection';
import { getOrderDetail } from '@/projections/order-detail/query';
import { useShopDatabase } from '@/projections/testing';
import { cancelOrder } from './commands/orders';

/**
 * Logs written before an event type gained a version keep working, untouched: the rows below are inserted
 * with raw SQL at the versions today's code no longer writes, then read through every path the shop reads
 * the log by (the store's reads, a command, a consumer, time travel). Runs on both drivers.
 */
type Fixture = { type: string; schemaVersion: number; stored: object; current: object };
const fixtures = Object.values(
  import.meta.glob<Fixture>('../domain/fixtures/events/*.json', { eager: true, import: 'default' }),
);

const ctx = useShopDatabase();

/** Inserts a stored row as older code wrote it, bypassing the store and its schemas. */
async function insertRaw(context: TestContext, row: { streamId: string; streamVersion: number; type: string; schemaVersion: number; data: object; recordedAt?: string }) {
  await context.db.sql.query(
    `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, recorded_at)
     values ($1::uuid, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, coalesce($8::timestamptz, now()))`,
    [
      randomUUID(),
      row.streamId,
      row.streamVersion,
      row.type,
      row.schemaVersion,
      JSON.stringify(row.data),
      JSON.stringify({ correlationId: 'old-code', causationId: 'old-code', actor: 'customer:old', source: 'old-code' }),
      row.recordedAt ?? null,
    ],
  );
}

/** An order as the code before OrderPlaced v2 and OrderCancelled v2 wrote it: no address, no currency. */
function placedV1(orderId: string, customerId: string) {
  return {
    orderId,
    customerId,
    cartId: randomUUID(),
    lines: [{ productId: randomUUID(), name: 'Blue Mug', unitPriceCents: 1_250, quantity: 2 }],
    totalCents: 2_500,
    placedAt: '2025-03-01T09:00:00.000Z',
  };
}

describe('events stored by older code', () => {
  it.each(fixtures)('reads the $type v$schemaVersion fixture as its current shape through the store', async (fixture) => {
    const streamId = `fixture-${randomUUID()}`;
    await insertRaw(ctx, { streamId, streamVersion: 1, type: fixture.type, schemaVersion: fixture.schemaVersion, data: fixture.stored });
    const [event] = await ctx.store.readStream(streamId);
    expect(event).toMatchObject({ type: fixture.type, schemaVersion: fixture.schemaVersion });
    expect(event!.data).toEqual(fixture.current);
  });

  it('decides a command on an order placed by older code, and writes the current version', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    const placed = placedV1(orderId, customerId);
    const [line] = placed.lines;
    // Cancelling gives the stock back, so the product is there too, as the older code listed it.
    await insertRaw(ctx, {
      streamId: productStreamId(line!.productId),
      streamVersion: 1,
      type: 'ProductListed',
      schemaVersion: 1,
      data: { productId: line!.productId, name: line!.name, description: 'A mug', category: 'Kitchen', priceCents: 1_250, stock: 5, listedAt: placed.placedAt },
    });
    await insertRaw(ctx, { streamId: orderStreamId(orderId), streamVersion: 1, type: 'OrderPlaced', schemaVersion: 1, data: placed });

    const envelope = { idempotencyKey: randomUUID(), requestHash: 'cancel', correlationId: 'c', actor: `customer:${customerId}`, source: 'test', now: new Date() };
    await cancelOrder(ctx.store, envelope, { orderId, customerId, reason: 'Too slow' });

    const rows = await ctx.db.sql.query<{ type: string; version: number }>(
      'select event_type as type, schema_version as version from events where stream_id = $1 order by stream_version',
      [orderStreamId(orderId)],
    );
    expect(rows).toEqual([
      { type: 'OrderPlaced', version: 1 },
      { type: 'OrderCancelled', version: 2 },
    ]);
    const [placedEvent, cancelledEvent] = await ctx.store.readStream(orderStreamId(orderId));
    expect(placedEvent!.data).toMatchObject({ shippingAddress: null, currency: 'USD' });
    expect(cancelledEvent!.data).toMatchObject({ reason: 'Too slow', cancelledBy: 'customer' });
  });

  it('projects an order placed by older code with the documented defaults', async () => {
    const orderId = randomUUID();
    await insertRaw(ctx, { streamId: orderStreamId(orderId), streamVersion: 1, type: 'OrderPlaced', schemaVersion: 1, data: placedV1(orderId, randomUUID()) });
    await insertRaw(ctx, {
      streamId: orderStreamId(orderId),
      streamVersion: 2,
      type: 'OrderCancelled',
      schemaVersion: 1,
      data: { orderId, reason: 'Changed my mind', cancelledAt: '2025-03-01T10:00:00.000Z' },
    });
    await catchUp(ctx.source, orderDetailProjection, { batchSize: 100 });
    const { order } = await getOrderDetail(ctx.db.orm, orderId);
    expect(order).toMatchObject({ status: 'cancelled', shippingAddress: null, currency: 'USD', cancellationReason: 'Changed my mind' });
  });

  it('travels back in time through an order of older events, by version and by moment', async () => {
    const orderId = randomUUID();
    const customerId = randomUUID();
    const streamId = orderStreamId(orderId);
    await insertRaw(ctx, { streamId, streamVersion: 1, type: 'OrderPlaced', schemaVersion: 1, data: placedV1(orderId, customerId), recordedAt: '2025-03-01T09:00:00.000Z' });
    await insertRaw(ctx, {
      streamId,
      streamVersion: 2,
      type: 'OrderPaid',
      schemaVersion: 1,
      data: { orderId, amountCents: 2_500, paymentReference: 'pay-1', paidAt: '2025-03-02T09:00:00.000Z' },
      recordedAt: '2025-03-02T09:00:00.000Z',
    });
    await insertRaw(ctx, {
      streamId,
      streamVersion: 3,
      type: 'OrderCancelled',
      schemaVersion: 1,
      data: { orderId, reason: 'Changed my mind', cancelledAt: '2025-03-03T09:00:00.000Z' },
      recordedAt: '2025-03-03T09:00:00.000Z',
    });
    const statusOf = (events: Awaited<ReturnType<typeof ctx.store.readStream>>) =>
      // The upcast events are the order's current event shapes, so the decider folds them as they are.
      fold(orderDecider, events.map((event) => ({ type: event.type, data: event.data }) as Parameters<typeof orderDecider.evolve>[1]));
    const status = (state: OrderState) => state.status;

    expect(status(statusOf(await ctx.store.readStream(streamId, { to: 1 })))).toBe('placed');
    expect(status(statusOf(await ctx.store.readStream(streamId, { to: 2 })))).toBe('paid');
    expect(status(statusOf(await ctx.store.readStream(streamId, { until: new Date('2025-03-02T12:00:00.000Z') })))).toBe('paid');
    expect(status(statusOf(await ctx.store.readStream(streamId, { until: new Date('2025-02-28T00:00:00.000Z') })))).toBe('none');
    expect(status(statusOf(await ctx.store.readStream(streamId)))).toBe('cancelled');
  });
});
