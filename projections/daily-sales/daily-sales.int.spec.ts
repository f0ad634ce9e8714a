import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, encodeToken, type EventStore } from '@/db/event-store';
import { createTestDatabase, type TestDatabase } from '@/db/testing';
import { orderStreamId, type OrderLine } from '@/server/domain';
import { readCheckpoint } from '../runtime/checkpoints';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, dumpProjection, failingAt, metadata, orderEvents, type FollowUp } from '../testing';
import { dailySalesProjection } from './projection';
import { listDailySales } from './query';

// Small batches, so a catch-up spans several transactions and checkpoints.
const options = { batchSize: 2 };
// A fixed "today", so the window of days does not depend on when the suite runs.
const today = new Date('2025-03-10T12:00:00.000Z');

let db: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = createEventStore(db.sql);
});
afterAll(() => db.drop());

const mug: OrderLine = { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200, quantity: 1 };
const lamp: OrderLine = { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500, quantity: 2 };

const place = (orderId: string, placedAt: string, lines: OrderLine[], then: FollowUp[] = []) =>
  appendShopEvents(
    store,
    { streamId: orderStreamId(orderId), events: orderEvents({ orderId, customerId: 'c-ann', lines, placedAt, then }) },
    metadata(`checkout-${orderId}`, 'customer:c-ann'),
  );

const cancel = (orderId: string, cancelledAt: string) =>
  appendShopEvents(store, {
    streamId: orderStreamId(orderId),
    events: [{ type: 'OrderCancelled', data: { orderId, reason: 'Customer asked', cancelledAt } }],
  });

describe('daily sales', () => {
  it('sums revenue and orders per UTC day of placing, with empty days as zero', async () => {
    await place('o-old', '2025-03-01T10:00:00.000Z', [mug]);
    // Either side of midnight UTC: two different days.
    await place('o-1', '2025-03-06T23:59:59.999Z', [mug]);
    await place('o-2', '2025-03-07T00:00:00.000Z', [lamp]);
    // Payment and shipping change nothing about the day's sales.
    await place('o-3', '2025-03-07T15:00:00.000Z', [mug, lamp], ['OrderPaid', 'OrderShipped']);
    const last = await place('o-4', '2025-03-09T08:00:00.000Z', [lamp]);

    await catchUp(db.orm, store, dailySalesProjection, options);

    const { checkpoint, days } = await listDailySales(db.orm, { days: 5, today });
    expect(checkpoint).toBe(encodeToken(last));
    expect(days).toEqual([
      { day: '2025-03-06', orderCount: 1, revenueCents: 1_200 },
      { day: '2025-03-07', orderCount: 2, revenueCents: 9_000 + 10_200 },
      { day: '2025-03-08', orderCount: 0, revenueCents: 0 },
      { day: '2025-03-09', orderCount: 1, revenueCents: 9_000 },
      { day: '2025-03-10', orderCount: 0, revenueCents: 0 },
    ]);
    const wider = await listDailySales(db.orm, { days: 10, today });
    expect(wider.days[0]).toEqual({ day: '2025-03-01', orderCount: 1, revenueCents: 1_200 });
  });

  it('takes a cancelled order out of the day it was placed, not the day it was cancelled', async () => {
    await cancel('o-2', '2025-03-10T09:00:00.000Z');
    // Placed and cancelled within one batch.
    const last = await place('o-5', '2025-03-10T08:00:00.000Z', [mug], ['OrderCancelled']);

    await catchUp(db.orm, store, dailySalesProjection, options);

    const { checkpoint, days } = await listDailySales(db.orm, { days: 5, today });
    expect(checkpoint).toBe(encodeToken(last));
    expect(days).toEqual([
      { day: '2025-03-06', orderCount: 1, revenueCents: 1_200 },
      { day: '2025-03-07', orderCount: 1, revenueCents: 10_200 },
      { day: '2025-03-08', orderCount: 0, revenueCents: 0 },
      { day: '2025-03-09', orderCount: 1, revenueCents: 9_000 },
      { day: '2025-03-10', orderCount: 0, revenueCents: 0 },
    ]);
  });

  it('applies nothing twice: a second catch-up reads nothing and changes no row', async () => {
    const before = await dumpProjection(db.orm, dailySalesProjection);
    expect(await catchUp(db.orm, store, dailySalesProjection, options)).toBe(0);
    expect(await dumpProjection(db.orm, dailySalesProjection)).toEqual(before);
  });

  it('rolls back a batch that fails part-way: neither its rows nor the checkpoint move', async () => {
    const before = await dumpProjection(db.orm, dailySalesProjection);
    const checkpoint = await readCheckpoint(db.orm, dailySalesProjection.name);
    // The placing is counted inside the transaction before the cancellation fails, then rolled back.
    const last = await place('o-6', '2025-03-10T10:00:00.000Z', [lamp], ['OrderCancelled']);
    const failing = failingAt(dailySalesProjection, last);

    await expect(catchUp(db.orm, store, failing, options)).rejects.toThrow(/injected failure/);
    expect(await dumpProjection(db.orm, dailySalesProjection)).toEqual(before);
    expect(await readCheckpoint(db.orm, dailySalesProjection.name)).toEqual(checkpoint);
  });
});
