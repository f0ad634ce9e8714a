import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { orderStreamId, type Line } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, orderEvents, smallBatches, type FollowUp } from '../testing';
import { customerOrderHistoryProjection } from './projection';
import { listCustomerOrders } from './query';

const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, customerOrderHistoryProjection, smallBatches);

const mug: Line = { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200, quantity: 2 };
const lamp: Line = { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500, quantity: 1 };
/** Places an order on `day` (March 2025, 10:00 UTC) followed by the events `then` lists. */
const order = (orderId: string, customerId: string, day: number, lines: Line[], then: FollowUp[] = []) =>
  appendShopEvents(
    ctx.store,
    {
      streamId: orderStreamId(orderId),
      events: orderEvents({ orderId, customerId, lines, placedAt: `2025-03-0${day}T10:00:00.000Z`, then }),
    },
    metadata(`checkout-${orderId}`, `customer:${customerId}`),
  );

describe('customer order history', () => {
  it("lists a customer's orders newest first, filtered by status, with counts per status", async () => {
    await order('o-a', 'c-ann', 1, [mug, lamp], ['OrderPaid', 'OrderShipped', 'OrderDelivered']);
    await order('o-b', 'c-ann', 2, [lamp], ['OrderPaid']);
    await order('o-x', 'c-bob', 2, [mug]);
    await order('o-c', 'c-ann', 3, [mug], ['OrderCancelled']);
    await order('o-d', 'c-ann', 4, [lamp, mug]);
    const last = await order('o-e', 'c-ann', 5, [mug]);

    await project();

    const all = await listCustomerOrders(ctx.db.orm, { customerId: 'c-ann' });
    expect(all.checkpoint).toBe(encodeToken(last));
    expect(all.orders.map((o) => [o.orderId, o.status])).toEqual([
      ['o-e', 'placed'],
      ['o-d', 'placed'],
      ['o-c', 'cancelled'],
      ['o-b', 'paid'],
      ['o-a', 'delivered'],
    ]);
    expect(all.statusCounts).toEqual({ placed: 2, paid: 1, delivered: 1, cancelled: 1 });
    expect(all.orders.find((o) => o.orderId === 'o-a')).toEqual({
      orderId: 'o-a',
      customerId: 'c-ann',
      status: 'delivered',
      totalCents: 6_900,
      itemCount: 3,
      summary: 'Mug and 1 more',
      placedAt: new Date('2025-03-01T10:00:00.000Z'),
      updatedAt: new Date('2025-03-01T13:00:00.000Z'),
    });

    const placed = await listCustomerOrders(ctx.db.orm, { customerId: 'c-ann', status: 'placed' });
    expect(placed.orders.map((o) => o.orderId)).toEqual(['o-e', 'o-d']);
    expect(placed.orders[1]?.summary).toBe('Desk lamp and 1 more');
    // The counts label every filter option, so they ignore the chosen status.
    expect(placed.statusCounts).toEqual(all.statusCounts);

    expect((await listCustomerOrders(ctx.db.orm, { customerId: 'c-ann', limit: 2 })).orders).toHaveLength(2);
    expect(await listCustomerOrders(ctx.db.orm, { customerId: 'c-bob', status: 'placed' })).toMatchObject({
      orders: [{ orderId: 'o-x', summary: 'Mug', itemCount: 2 }],
      statusCounts: { placed: 1 },
    });
    const nobody = await listCustomerOrders(ctx.db.orm, { customerId: 'c-nobody' });
    expect(nobody).toMatchObject({ orders: [], statusCounts: {} });
  });

  it('moves an order between status filters as it progresses', async () => {
    await order('o-dan-1', 'c-dan', 2, [lamp], ['OrderPaid']);
    await order('o-dan-2', 'c-dan', 4, [lamp, mug]);
    await order('o-dan-3', 'c-dan', 5, [mug]);
    await project();
    const placed = await listCustomerOrders(ctx.db.orm, { customerId: 'c-dan', status: 'placed' });
    expect(placed.orders.map((o) => o.orderId)).toEqual(['o-dan-3', 'o-dan-2']);
    expect(placed.statusCounts).toEqual({ placed: 2, paid: 1 });

    const last = await appendShopEvents(ctx.store, {
      streamId: orderStreamId('o-dan-2'),
      events: [
        {
          type: 'OrderPaid',
          data: {
            orderId: 'o-dan-2',
            amountCents: 6_900,
            paymentReference: 'pay-o-dan-2',
            paidAt: '2025-03-06T09:00:00.000Z',
          },
        },
      ],
    });
    await project();

    const paid = await listCustomerOrders(ctx.db.orm, { customerId: 'c-dan', status: 'paid' });
    expect(paid.checkpoint).toBe(encodeToken(last));
    expect(paid.orders.map((o) => o.orderId)).toEqual(['o-dan-2', 'o-dan-1']);
    expect(paid.statusCounts).toEqual({ placed: 1, paid: 2 });
  });

  itAppliesExactlyOnce(customerOrderHistoryProjection, {
    ctx,
    appendBatch: (key) => order(`o-${key}`, `c-${key}`, 7, [mug], ['OrderPaid']),
  });
});
