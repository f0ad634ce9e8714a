import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cartStreamId, productStreamId } from '@/domain';
import { expectTRPCError, card, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();

const key = () => ({ idempotencyKey: randomUUID() });
const shopper = (customerId: string): Browser => ({ customerId, cartId: null });

async function addToCart(browser: Browser, productId: string, quantity = 1): Promise<string> {
  const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId, quantity });
  browser.cartId = cartId;
  return cartId;
}

async function stockOf(productId: string): Promise<number> {
  const events = await harness.store.readStream(productStreamId(productId));
  return (events.at(-1)?.data as { stock: number }).stock;
}

describe('duplicates that race the first request', () => {
  it('answers a checkout retried while the first is committing with the first order', async () => {
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, (await harness.listProduct(5)).productId);
    const input = { ...key(), cartId, shippingAddress, card };

    // Staggered, so some copies start deciding just as the first commits and see a checked-out cart.
    const results = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 3));
        return harness.request(browser).api.cart.checkOut(input);
      }),
    );

    for (const result of results) expect(result).toEqual(results[0]);
    expect(await harness.countEvents({ type: 'OrderPlaced', streamId: `order-${results[0]!.orderId}` })).toBe(1);
    expect(await harness.countEvents({ streamId: cartStreamId(cartId), type: 'CartCheckedOut' })).toBe(1);
  });
});

describe('checkouts that share products', () => {
  it('never fails with a server error when two carts hold the same products in opposite order, and the stock adds up', async () => {
    const [x, y] = [await harness.listProduct(50), await harness.listProduct(50)];
    let placed = 0;
    for (let round = 0; round < 10; round++) {
      const [ann, bob] = [shopper(harness.customers.maya), shopper(harness.customers.liam)];
      await addToCart(ann, x.productId);
      await addToCart(ann, y.productId);
      await addToCart(bob, y.productId);
      await addToCart(bob, x.productId);
      const outcomes = await Promise.allSettled(
        [ann, bob].map((browser) => harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId: browser.cartId! })),
      );
      // A loser may run out of retries and hear CONFLICT, never anything else; and of two writers that
      // collide, the first to commit always wins, so no round ends without an order.
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'CONFLICT' });
      }
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
      expect(won, `round ${round}`).toBeGreaterThanOrEqual(1);
      placed += won;
    }
    // Every order took one of each product, and no order took its stock twice or not at all.
    expect(await stockOf(x.productId)).toBe(50 - placed);
    expect(await stockOf(y.productId)).toBe(50 - placed);
  });
});

describe('a stale cart cookie', () => {
  it('starts a new cart after a checkout whose response never cleared the cookie', async () => {
    const browser = shopper(harness.customers.maya);
    const product = await harness.listProduct(5);
    const oldCart = await addToCart(browser, product.productId);
    await harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId: oldCart });

    // The browser still sends the checked-out cart's id.
    const { api, resHeaders } = harness.request(browser);
    const { cartId } = await api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
    expect(cartId).not.toBe(oldCart);
    expect(resHeaders.getSetCookie().join()).toContain(cartId);
  });

  it('never adds to another customer’s cart', async () => {
    const product = await harness.listProduct(5);
    const theirs = await addToCart(shopper(harness.customers.liam), product.productId);
    const mine = await addToCart({ customerId: harness.customers.maya, cartId: theirs }, product.productId);
    expect(mine).not.toBe(theirs);
    expect(await harness.store.readStream(cartStreamId(theirs))).toHaveLength(1);
  });
});

describe('cancelling an order', () => {
  it('leaves giving the stock back to the fulfillment process, which does it once', async () => {
    const browser = shopper(harness.customers.maya);
    const product = await harness.listProduct(5);
    const cartId = await addToCart(browser, product.productId, 2);
    const { orderId } = await harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId });
    expect(await stockOf(product.productId)).toBe(3);

    await harness.request(browser).api.orders.cancel({ ...key(), orderId, reason: 'Changed my mind' });
    // A card order is undone by its process (refund, stock, timers), which reacts to the cancellation.
    expect(await stockOf(product.productId)).toBe(3);
    await harness.fulfill();
    expect(await stockOf(product.productId)).toBe(5);
  });
});

describe('session cookies and headers', () => {
  it('treats a malformed session cookie as a guest instead of failing the request', async () => {
    const { api } = harness.request(shopper(harness.customers.maya), { cookie: 'hindsight.session_token=%E0%A4%A; hindsight_cart=%E0' });
    await expect(api.cart.get()).resolves.toMatchObject({ cart: null });
    await expectTRPCError(api.orders.history({}), 'UNAUTHORIZED', 'Please sign in first.');
  });

  it('refuses every customer command from a browser that is not signed in, and appends nothing', async () => {
    const product = await harness.listProduct(5);
    const guest = harness.request({ customerId: null, cartId: null });
    const { cartId } = await guest.api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
    const before = await harness.countEvents();
    const { api } = harness.request(shopper(randomUUID()));
    await expectTRPCError(api.cart.checkOut({ ...key(), cartId, shippingAddress, card }), 'UNAUTHORIZED');
    await expectTRPCError(api.orders.cancel({ ...key(), orderId: randomUUID(), reason: 'x' }), 'UNAUTHORIZED');
    expect(await harness.countEvents()).toBe(before);
  });

  it('keeps a well-formed correlation id and replaces an oversized one', async () => {
    const browser = shopper(harness.customers.maya);
    const product = await harness.listProduct(5);
    const good = harness.request(browser, { 'x-correlation-id': 'checkout-42' });
    const { cartId } = await good.api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });
    const bad = harness.request({ ...browser, cartId }, { 'x-correlation-id': 'x'.repeat(5000) });
    await bad.api.cart.addItem({ ...key(), productId: product.productId, quantity: 1 });

    const events = await harness.store.readStream(cartStreamId(cartId));
    expect(events[0]?.metadata.correlationId).toBe('checkout-42');
    expect(events[1]?.metadata.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
