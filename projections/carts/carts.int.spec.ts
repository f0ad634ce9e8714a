import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { cartStreamId, type CartEvent } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { cartsProjection } from './projection';
import { getCart } from './query';

const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, cartsProjection, smallBatches);

const customerId = 'c-ann';
const mug = { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200 };
const lamp = { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500 };

const inCart = (cartId: string, ...events: CartEvent[]) =>
  appendShopEvents(
    ctx.store,
    { streamId: cartStreamId(cartId), events },
    metadata(`shop-${cartId}`, `customer:${customerId}`),
  );

describe('carts', () => {
  it('shows lines as they are added and their quantities change', async () => {
    const cartId = 'cart-ann-1';
    const last = await inCart(
      cartId,
      { type: 'CartItemAdded', data: { cartId, customerId, ...mug, quantity: 1, addedAt: '2025-03-05T10:00:00.000Z' } },
      {
        type: 'CartItemAdded',
        data: { cartId, customerId, ...lamp, quantity: 2, addedAt: '2025-03-05T10:01:00.000Z' },
      },
      {
        type: 'CartItemQuantityChanged',
        data: { cartId, productId: mug.productId, quantity: 3, changedAt: '2025-03-05T10:02:00.000Z' },
      },
    );
    await project();

    const { checkpoint, cart } = await getCart(ctx.db.orm, cartId);
    expect(checkpoint).toBe(encodeToken(last));
    expect(cart).toMatchObject({
      cartId,
      customerId,
      status: 'open',
      orderId: null,
      updatedAt: new Date('2025-03-05T10:02:00.000Z'),
      totalCents: 3 * 1_200 + 2 * 4_500,
      itemCount: 5,
    });
    expect(cart?.lines.map((l) => [l.productId, l.name, l.unitPriceCents, l.quantity])).toEqual([
      [mug.productId, mug.name, mug.unitPriceCents, 3],
      [lamp.productId, lamp.name, lamp.unitPriceCents, 2],
    ]);
  });

  it('drops a removed line, puts a re-added one last, and marks the cart checked out', async () => {
    const cartId = 'cart-ann-2';
    await inCart(
      cartId,
      { type: 'CartItemAdded', data: { cartId, customerId, ...mug, quantity: 3, addedAt: '2025-03-05T10:00:00.000Z' } },
      {
        type: 'CartItemAdded',
        data: { cartId, customerId, ...lamp, quantity: 2, addedAt: '2025-03-05T10:01:00.000Z' },
      },
      { type: 'CartItemRemoved', data: { cartId, productId: lamp.productId, removedAt: '2025-03-05T10:03:00.000Z' } },
    );
    await project();
    expect((await getCart(ctx.db.orm, cartId)).cart).toMatchObject({ totalCents: 3_600, itemCount: 3 });

    const last = await inCart(
      cartId,
      {
        type: 'CartItemAdded',
        data: { cartId, customerId, ...lamp, quantity: 1, addedAt: '2025-03-05T10:04:00.000Z' },
      },
      {
        type: 'CartCheckedOut',
        data: {
          cartId,
          customerId,
          orderId: 'o-ann-2',
          lines: [
            { ...mug, quantity: 3 },
            { ...lamp, quantity: 1 },
          ],
          totalCents: 8_100,
          checkedOutAt: '2025-03-05T10:05:00.000Z',
        },
      },
    );
    await project();

    const { checkpoint, cart } = await getCart(ctx.db.orm, cartId);
    expect(checkpoint).toBe(encodeToken(last));
    expect(cart).toMatchObject({
      status: 'checked_out',
      orderId: 'o-ann-2',
      updatedAt: new Date('2025-03-05T10:05:00.000Z'),
      totalCents: 8_100,
      itemCount: 4,
    });
    expect(cart?.lines.map((l) => [l.productId, l.quantity])).toEqual([
      [mug.productId, 3],
      [lamp.productId, 1],
    ]);
  });

  it('knows no cart that was never added to', async () => {
    expect((await getCart(ctx.db.orm, 'cart-unknown')).cart).toBeNull();
  });

  itAppliesExactlyOnce(cartsProjection, {
    ctx,
    appendBatch: (key) => {
      const other = `cart-${key}`;
      return appendShopEvents(ctx.store, {
        streamId: cartStreamId(other),
        events: [
          {
            type: 'CartItemAdded',
            data: { cartId: other, customerId: 'c-bob', ...mug, quantity: 1, addedAt: '2025-03-06T09:00:00.000Z' },
          },
          {
            type: 'CartItemAdded',
            data: { cartId: other, customerId: 'c-bob', ...lamp, quantity: 1, addedAt: '2025-03-06T09:01:00.000Z' },
          },
        ],
      });
    },
  });
});
