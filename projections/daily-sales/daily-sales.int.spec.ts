import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { orderStreamId, type OrderLine } from '@/domain';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, itAppliesExactlyOnce, metadata, orderEvents, smallBatches, type FollowUp } from '../testing';
import { dailySalesProjection } from './projection';
import { listDailySales } from './query';

// A fixed "today", so the window of days does not depend on when the suite runs.
const today = new Date('2025-03-10T12:00:00.000Z');

const ctx = useTestDatabase();
const project = () => catchUp(ctx.db.orm, ctx.store, dailySalesProjection, smallBatches);

const mug: OrderLine = { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200, quantity: 1 };
const lamp: OrderLine = { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500, quantity: 2 };

const place = (orderId: string, placedAt: string, lines: OrderLine[], then: FollowUp[] = []) =>
  appendShopEvents(
    ctx.store,
    { streamId: orderStreamId(orderId), events: orderEvents({ orderId, customerId: 'c-ann', lines, placedAt, then }) },
    metadata(`checkout-${orderId}`, 'customer:c-ann'),
  );

const cancel = (orderId: string, cancelledAt: string) =>
  appendShopEvents(ctx.store, {
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

    await project();

    const { checkpoint, days } = await listDailySales(ctx.db.orm, { days: 5, today });
    expect(checkpoint).toBe(encodeToken(last));
    expect(days).toEqual([
      { day: '2025-03-06', orderCount: 1, revenueCents: 1_200 },
      { day: '2025-03-07', orderCount: 2, revenueCents: 9_000 + 10_200 },
      { day: '2025-03-08', orderCount: 0, revenueCents: 0 },
      { day: '2025-03-09', orderCount: 1, revenueCents: 9_000 },
      { day: '2025-03-10', orderCount: 0, revenueCents: 0 },
    ]);
    const wider = await listDailySales(ctx.db.orm, { days: 10, today });
    expect(wider.days[0]).toEqual({ day: '2025-03-01', orderCount: 1, revenueCents: 1_200 });
  });

  it('takes a cancelled order out of the day it was placed, not the day it was cancelled', async () => {
    await cancel('o-2', '2025-03-10T09:00:00.000Z');
    // Placed and cancelled within one batch.
    const last = await place('o-5', '2025-03-10T08:00:00.000Z', [mug], ['OrderCancelled']);

    await project();

    const { checkpoint, days } = await listDailySales(ctx.db.orm, { days: 5, today });
    expect(checkpoint).toBe(encodeToken(last));
    expect(days).toEqual([
      { day: '2025-03-06', orderCount: 1, revenueCents: 1_200 },
      { day: '2025-03-07', orderCount: 1, revenueCents: 10_200 },
      { day: '2025-03-08', orderCount: 0, revenueCents: 0 },
      { day: '2025-03-09', orderCount: 1, revenueCents: 9_000 },
      { day: '2025-03-10', orderCount: 0, revenueCents: 0 },
    ]);
  });

  itAppliesExactlyOnce(dailySalesProjection, {
    ctx,
    // The placing is counted inside the transaction before the cancellation fails, then rolled back.
    appendBatch: () => place('o-6', '2025-03-10T10:00:00.000Z', [lamp], ['OrderCancelled']),
  });
});
