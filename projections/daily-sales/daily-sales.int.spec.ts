import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { orderStreamId, type Line } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, orderEvents, smallBatches, type FollowUp } from '../testing';
import { dailySalesProjection } from './projection';
import { listDailySales, readSalesReport } from './query';

const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, dailySalesProjection, smallBatches);

const mug: Line = { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200, quantity: 1 };
const lamp: Line = { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500, quantity: 2 };

const place = (orderId: string, placedAt: string, lines: Line[], then: FollowUp[] = []) =>
  appendShopEvents(
    ctx.store,
    { streamId: orderStreamId(orderId), events: orderEvents({ orderId, customerId: 'c-ann', lines, placedAt, then }) },
    metadata(`checkout-${orderId}`, 'customer:c-ann'),
  );

const cancel = (orderId: string, cancelledAt: string) =>
  appendShopEvents(ctx.store, {
    streamId: orderStreamId(orderId),
    events: [{ type: 'OrderCancelled', data: { orderId, reason: 'Customer asked', cancelledBy: 'customer', cancelledAt } }],
  });

// The days are shared by the file's tests, so each test places its orders in days of its own and reads only
// those, with a fixed "today" of its own (the window of days then does not depend on when the suite runs).
describe('daily sales', () => {
  it('sums revenue and orders per UTC day of placing, with empty days as zero', async () => {
    const today = new Date('2025-03-10T12:00:00.000Z');
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
    const today = new Date('2025-04-10T12:00:00.000Z');
    await place('o-10', '2025-04-07T09:00:00.000Z', [mug]);
    await place('o-11', '2025-04-07T15:00:00.000Z', [mug, lamp]);
    await project();
    const placed = await listDailySales(ctx.db.orm, { days: 4, today });
    expect(placed.days[0]).toEqual({ day: '2025-04-07', orderCount: 2, revenueCents: 1_200 + 10_200 });

    await cancel('o-10', '2025-04-10T09:00:00.000Z');
    // Placed and cancelled within one batch.
    const last = await place('o-12', '2025-04-10T08:00:00.000Z', [mug], ['OrderCancelled']);

    await project();

    const { checkpoint, days } = await listDailySales(ctx.db.orm, { days: 4, today });
    expect(checkpoint).toBe(encodeToken(last));
    expect(days).toEqual([
      { day: '2025-04-07', orderCount: 1, revenueCents: 10_200 },
      { day: '2025-04-08', orderCount: 0, revenueCents: 0 },
      { day: '2025-04-09', orderCount: 0, revenueCents: 0 },
      { day: '2025-04-10', orderCount: 0, revenueCents: 0 },
    ]);
  });

  it('breaks a range of days down by product, taking cancelled orders out of their products too', async () => {
    const pen: Line = { productId: 'p-pen', name: 'Fountain pen', unitPriceCents: 3_000, quantity: 3 };
    await place('o-20', '2025-06-02T09:00:00.000Z', [mug, lamp]);
    await place('o-21', '2025-06-03T09:00:00.000Z', [{ ...mug, quantity: 4 }]);
    await place('o-22', '2025-06-03T10:00:00.000Z', [pen]);
    // Outside the range: counted on its own day only.
    await place('o-23', '2025-06-05T10:00:00.000Z', [lamp]);
    await project();
    await cancel('o-22', '2025-06-04T09:00:00.000Z');
    const last = await place('o-24', '2025-06-04T10:00:00.000Z', [{ ...mug, name: 'Mug, renamed' }], ['OrderCancelled']);
    await project();

    const report = await readSalesReport(ctx.db.orm, { from: '2025-06-02', to: '2025-06-04' });
    expect(report.checkpoint).toBe(encodeToken(last));
    expect(report.days).toEqual([
      { day: '2025-06-02', orderCount: 1, revenueCents: 1_200 + 9_000 },
      { day: '2025-06-03', orderCount: 1, revenueCents: 4_800 },
      { day: '2025-06-04', orderCount: 0, revenueCents: 0 },
    ]);
    // The pen's only order was cancelled: it sold nothing in the range, so it is not listed.
    expect(report.products).toEqual([
      { productId: 'p-lamp', name: 'Desk lamp', quantity: 2, orderCount: 1, revenueCents: 9_000 },
      { productId: 'p-mug', name: 'Mug', quantity: 5, orderCount: 2, revenueCents: 6_000 },
    ]);
    const lampDay = await readSalesReport(ctx.db.orm, { from: '2025-06-05', to: '2025-06-05' });
    expect(lampDay.products).toEqual([{ productId: 'p-lamp', name: 'Desk lamp', quantity: 2, orderCount: 1, revenueCents: 9_000 }]);
  });

  itAppliesExactlyOnce(dailySalesProjection, {
    ctx,
    // On a day no other test places orders on. The placing is counted inside the transaction before the
    // cancellation fails, then rolled back.
    appendBatch: (key) => place(`o-${key}`, '2025-05-01T10:00:00.000Z', [lamp], ['OrderCancelled']),
  });
});
