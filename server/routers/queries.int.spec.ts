import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeToken, hasReached } from '@/db/event-store';
import { cartStreamId } from '@/domain';
import { cartCookieSet, card, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();

/** True when a query's checkpoint has applied everything up to the command's consistency token. */
function reached(checkpoint: string | null, token: string | null): boolean {
  const at = checkpoint === null ? null : decodeToken(checkpoint);
  const target = token === null ? null : decodeToken(token);
  return at !== null && target !== null && hasReached(at, target);
}

describe('a shopper from first item to placed order', () => {
  it('fills a cart, checks out, and every read model shows the order once caught up', async () => {
    const mug = await harness.listProduct(10);
    const pen = await harness.listProduct(5);
    const browser: Browser = { customerId: harness.customers.maya, cartId: null };
    const key = () => ({ idempotencyKey: randomUUID() });

    // The first item starts a cart, and the response hands its id back in the cart cookie.
    const first = harness.request(browser);
    const added = await first.api.cart.addItem({ ...key(), productId: mug.productId, quantity: 2 });
    expect(cartCookieSet(first.resHeaders)).toBe(added.cartId);
    browser.cartId = added.cartId;

    // Further requests with the cookie stay in that cart and set no new cookie.
    const again = harness.request(browser);
    expect(await again.api.cart.addItem({ ...key(), productId: mug.productId, quantity: 1 })).toMatchObject({
      cartId: added.cartId,
    });
    expect(cartCookieSet(again.resHeaders)).toBeUndefined();
    const { api } = harness.request(browser);
    await api.cart.addItem({ ...key(), productId: pen.productId, quantity: 1 });
    await api.cart.changeQuantity({ ...key(), productId: mug.productId, quantity: 4 });
    await api.cart.addItem({ ...key(), productId: pen.productId, quantity: 1 });
    await api.cart.removeItem({ ...key(), productId: pen.productId });

    const correlationId = randomUUID();
    const checkout = harness.request(browser, { 'x-correlation-id': correlationId });
    const placed = await checkout.api.cart.checkOut({ ...key(), shippingAddress, card, cartId: added.cartId });
    expect(placed.orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(placed.token).toMatch(/^\d+\.\d+$/);
    // The next item goes into a new cart.
    expect(cartCookieSet(checkout.resHeaders)).toBeNull();
    expect((await harness.store.readStream(cartStreamId(added.cartId))).map((event) => event.type)).toEqual([
      'CartItemAdded',
      'CartItemQuantityChanged',
      'CartItemAdded',
      'CartItemQuantityChanged',
      'CartItemQuantityChanged',
      'CartItemRemoved',
      'CartCheckedOut',
    ]);

    await harness.catchUpAll();

    const cart = await api.cart.get();
    expect(cart.cart).toMatchObject({ status: 'checked_out', orderId: placed.orderId });
    const history = await api.orders.history({});
    expect(history.orders.map((order) => order.orderId)).toEqual([placed.orderId]);
    const detail = await api.orders.detail({ orderId: placed.orderId });
    expect(detail.order?.lines).toEqual([
      { productId: mug.productId, name: mug.name, unitPriceCents: mug.priceCents, quantity: 4 },
    ]);
    expect(detail.order?.totalCents).toBe(4 * mug.priceCents);
    expect(detail.order?.timeline).toEqual([
      expect.objectContaining({ eventType: 'OrderPlaced', correlationId, actor: `customer:${harness.customers.maya}` }),
    ]);
    const product = await api.catalog.product({ productId: mug.productId });
    expect(product.product?.stock).toBe(10 - 4);
    const untouched = await api.catalog.product({ productId: pen.productId });
    expect(untouched.product?.stock).toBe(5);

    for (const view of [cart, history, detail, product]) expect(reached(view.checkpoint, placed.token)).toBe(true);
  });

  it("does not show a customer another customer's cart or order", async () => {
    const lamp = await harness.listProduct(3);
    const maya: Browser = { customerId: harness.customers.maya, cartId: null };
    const { api } = harness.request(maya);
    const added = await api.cart.addItem({ idempotencyKey: randomUUID(), productId: lamp.productId, quantity: 1 });
    const { orderId } = await api.cart.checkOut({ idempotencyKey: randomUUID(), shippingAddress, card, cartId: added.cartId });
    await harness.catchUpAll();

    // Liam's browser carries Maya's cart cookie, as after switching the demo customer.
    const liam = harness.request({ customerId: harness.customers.liam, cartId: added.cartId }).api;
    expect((await liam.cart.get()).cart).toBeNull();
    expect((await liam.orders.detail({ orderId })).order).toBeNull();
    expect((await liam.orders.history({})).orders).toEqual([]);
  });
});
