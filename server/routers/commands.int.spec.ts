import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { cartStreamId, orderStreamId, productStreamId } from '@/domain';
import { expectTRPCError, card, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

const harness = useRouterHarness();

const key = () => ({ idempotencyKey: randomUUID() });
const shopper = (customerId: string): Browser => ({ customerId, cartId: null });

/** Puts `quantity` of a product in the browser's cart, starting one if needed, as the cart cookie would. */
async function addToCart(browser: Browser, productId: string, quantity: number): Promise<string> {
  const { cartId } = await harness.request(browser).api.cart.addItem({ ...key(), productId, quantity });
  browser.cartId = cartId;
  return cartId;
}

async function placeOrder(browser: Browser): Promise<string> {
  const product = await harness.listProduct(5);
  const cartId = await addToCart(browser, product.productId, 1);
  const { orderId } = await harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId });
  return orderId;
}

describe('idempotency keys', () => {
  it('answers a repeated addItem with the first result and appends once', async () => {
    const mug = await harness.listProduct(10);
    const input = { ...key(), productId: mug.productId, quantity: 2 };
    // No cart cookie either time: a retry after a lost response must not start a second cart.
    const browser = shopper(harness.customers.maya);
    const first = await harness.request(browser).api.cart.addItem(input);
    const second = await harness.request(browser).api.cart.addItem(input);

    expect(second).toEqual(first);
    expect(await harness.countEvents({ streamId: cartStreamId(first.cartId) })).toBe(1);
  });

  it('lets exactly one of five concurrent duplicates append', async () => {
    const mug = await harness.listProduct(10);
    const input = { ...key(), productId: mug.productId, quantity: 1 };
    const before = await harness.countEvents();
    const browser = shopper(harness.customers.maya);

    // Each request picks its own new cart id, so anything but one event means a duplicate slipped through.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => harness.request(browser).api.cart.addItem(input)),
    );

    for (const result of results) expect(result).toEqual(results[0]);
    expect(await harness.countEvents()).toBe(before + 1);
    expect(await harness.store.readStream(cartStreamId(results[0]!.cartId))).toHaveLength(1);
  });

  it('refuses a key reused for a different request', async () => {
    const mug = await harness.listProduct(10);
    const browser = shopper(harness.customers.maya);
    const { idempotencyKey } = key();
    await harness.request(browser).api.cart.addItem({ idempotencyKey, productId: mug.productId, quantity: 1 });
    await expectTRPCError(
      harness.request(browser).api.cart.addItem({ idempotencyKey, productId: mug.productId, quantity: 2 }),
      'CONFLICT',
      /already used for a different request/,
    );
  });

  it('places one order however often the same checkout is sent', async () => {
    const mug = await harness.listProduct(10);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 3);
    const input = { ...key(), cartId, shippingAddress, card };

    const first = await harness.request(browser).api.cart.checkOut(input);
    const second = await harness.request(browser).api.cart.checkOut(input);

    expect(second).toEqual(first);
    expect(await harness.countEvents({ streamId: cartStreamId(cartId), type: 'CartCheckedOut' })).toBe(1);
    expect(await harness.countEvents({ streamId: productStreamId(mug.productId), type: 'StockReserved' })).toBe(1);
    expect(await harness.countEvents({ streamId: orderStreamId(first.orderId) })).toBe(1);
  });
});

describe('input validation', () => {
  it.each([
    ['a quantity of 0', { quantity: 0 }, 'quantity'],
    ['a quantity over the line limit', { quantity: 1000 }, 'quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
    ['no idempotency key', { idempotencyKey: undefined }, 'idempotencyKey'],
    ['an idempotency key that is not a UUID', { idempotencyKey: 'retry-1' }, 'idempotencyKey'],
  ])('refuses %s with BAD_REQUEST and appends nothing', async (_, change, field) => {
    const mug = await harness.listProduct(10);
    const before = await harness.countEvents();
    const valid = { ...key(), productId: mug.productId, quantity: 1 };
    const input = { ...valid, ...change };

    // The cast sends what a broken client could: zod, not TypeScript, has to refuse it.
    const call = harness.request(shopper(harness.customers.maya)).api.cart.addItem(input as typeof valid);
    const error = await expectTRPCError(call, 'BAD_REQUEST');

    expect(error.cause).toBeInstanceOf(ZodError);
    expect((error.cause as ZodError).issues.map((issue) => issue.path.join('.'))).toEqual([field]);
    expect(await harness.countEvents()).toBe(before);
  });
});

describe('domain errors', () => {
  it('maps a product that does not exist to NOT_FOUND', async () => {
    const browser = shopper(harness.customers.maya);
    await expectTRPCError(
      harness.request(browser).api.cart.addItem({ ...key(), productId: 'no-such-product', quantity: 1 }),
      'NOT_FOUND',
      'This product does not exist.',
    );
  });

  it('refuses more than the stock with CONFLICT', async () => {
    const mug = await harness.listProduct(3);
    const browser = shopper(harness.customers.maya);
    await addToCart(browser, mug.productId, 2);
    await expectTRPCError(
      harness.request(browser).api.cart.addItem({ ...key(), productId: mug.productId, quantity: 2 }),
      'CONFLICT',
      `Only 3 of ${mug.name} left in stock.`,
    );
  });

  it('refuses raising a line above the stock with CONFLICT, and always lets it come down', async () => {
    const mug = await harness.listProduct(3);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 3);
    const before = await harness.countEvents({ streamId: cartStreamId(cartId) });
    await expectTRPCError(
      harness.request(browser).api.cart.changeQuantity({ ...key(), productId: mug.productId, quantity: 4 }),
      'CONFLICT',
      `Only 3 of ${mug.name} left in stock.`,
    );
    expect(await harness.countEvents({ streamId: cartStreamId(cartId) })).toBe(before);
    await harness.request(browser).api.cart.changeQuantity({ ...key(), productId: mug.productId, quantity: 1 });
    expect(await harness.countEvents({ streamId: cartStreamId(cartId) })).toBe(before + 1);
  });

  it('refuses to check out an emptied cart', async () => {
    const mug = await harness.listProduct(3);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    await harness.request(browser).api.cart.removeItem({ ...key(), productId: mug.productId });
    await expectTRPCError(
      harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId }),
      'CONFLICT',
      'Cannot check out an empty cart.',
    );
  });

  it("treats another customer's order as not found", async () => {
    const orderId = await placeOrder(shopper(harness.customers.maya));
    const before = await harness.countEvents();
    const liam = harness.request(shopper(harness.customers.liam)).api;

    await expectTRPCError(liam.orders.cancel({ ...key(), orderId, reason: 'not mine' }), 'NOT_FOUND');
    expect(await harness.countEvents()).toBe(before);
  });

  it("keeps a guest's cart under the guest cookie it sets, and needs sign-in to check out", async () => {
    const mug = await harness.listProduct(3);
    const first = harness.request({ customerId: null, cartId: null });
    const { cartId } = await first.api.cart.addItem({ ...key(), productId: mug.productId, quantity: 1 });
    expect(first.resHeaders.getSetCookie().filter((cookie) => cookie.startsWith('hindsight_guest=')).length).toBe(1);
    await expectTRPCError(first.api.cart.checkOut({ ...key(), cartId, shippingAddress, card }), 'UNAUTHORIZED', 'Please sign in first.');
    // Without the guest cookie, the cart is nobody's: another guest cannot change it.
    const stranger = harness.request({ customerId: null, cartId });
    await expectTRPCError(stranger.api.cart.removeItem({ ...key(), productId: mug.productId }), 'NOT_FOUND');
    await expect(stranger.api.cart.get()).resolves.toMatchObject({ cart: null });
  });
});

describe('concurrent checkouts', () => {
  it('sells the last unit once: one checkout wins, the other is told it is out of stock', async () => {
    const lamp = await harness.listProduct(1);
    const maya = shopper(harness.customers.maya);
    const liam = shopper(harness.customers.liam);
    const carts = [await addToCart(maya, lamp.productId, 1), await addToCart(liam, lamp.productId, 1)];
    const checkedOutBefore = await harness.countEvents({ type: 'CartCheckedOut' });

    const results = await Promise.allSettled(
      [maya, liam].map((browser, i) => harness.request(browser).api.cart.checkOut({ ...key(), shippingAddress, card, cartId: carts[i]! })),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((result) => result.status === 'rejected');
    await expectTRPCError(Promise.reject(loser?.reason), 'CONFLICT', `${lamp.name} is out of stock.`);
    const stream = await harness.store.readStream(productStreamId(lamp.productId));
    expect(stream.map((event) => [event.type, (event.data as { stock: number }).stock])).toEqual([
      ['ProductListed', 1],
      ['StockReserved', 0],
    ]);
    // The losing cart stays open: its shopper can change it and try again.
    expect(await harness.countEvents({ type: 'CartCheckedOut' })).toBe(checkedOutBefore + 1);
  });
});

describe('checking out with a hostile shipping address', () => {
  const hostile: Record<string, unknown>[] = [
    {},
    { ...shippingAddress, name: '' },
    { ...shippingAddress, name: '   ' },
    { ...shippingAddress, line1: 'x'.repeat(201) },
    { ...shippingAddress, country: 'Netherlands' },
    { ...shippingAddress, country: 42 },
    { ...shippingAddress, postalCode: null },
    { ...shippingAddress, city: ['Utrecht'] },
  ];

  it.each(hostile)('refuses %o with BAD_REQUEST and appends nothing', async (address) => {
    const mug = await harness.listProduct(5);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    const before = await harness.countEvents();
    await expectTRPCError(
      harness.request(browser).api.cart.checkOut({ ...key(), cartId, card, shippingAddress: address as typeof shippingAddress }),
      'BAD_REQUEST',
    );
    expect(await harness.countEvents()).toBe(before);
  });
});

describe('text PostgreSQL cannot store', () => {
  it.each(['a\u0000b', 'half \ud800 a pair', 'lone \udc00 tail'])('refuses %j in an address with BAD_REQUEST and appends nothing', async (name) => {
    const mug = await harness.listProduct(5);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    const before = await harness.countEvents();
    await expectTRPCError(
      harness.request(browser).api.cart.checkOut({ ...key(), cartId, card, shippingAddress: { ...shippingAddress, name } }),
      'BAD_REQUEST',
      /NUL characters or broken Unicode/,
    );
    expect(await harness.countEvents()).toBe(before);
  });

  it('still takes a whole surrogate pair (an emoji)', async () => {
    const mug = await harness.listProduct(5);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    const placed = await harness.request(browser).api.cart.checkOut({ ...key(), cartId, card, shippingAddress: { ...shippingAddress, name: 'Maya 🌷' } });
    expect(placed.orderId).toEqual(expect.any(String));
  });
});

describe('the card at checkout', () => {
  it.each([
    ['letters in the number', { number: '4242 abcd 4242 4242' }, /card number/],
    ['a number too short', { number: '4242' }, /card number/],
    ['an expiry not MM/YY', { expiry: '2034-12' }, /MM\/YY/],
    ['month 13', { expiry: '13/34' }, /MM\/YY/],
    ['a five-digit security code', { cvc: '12345' }, /security code/],
    ['an empty card', { number: '', expiry: '', cvc: '' }, /card number/],
  ])('refuses %s with BAD_REQUEST and appends nothing', async (_name, change, message) => {
    const mug = await harness.listProduct(5);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    const before = await harness.countEvents();
    const error = await expectTRPCError(
      harness.request(browser).api.cart.checkOut({ ...key(), cartId, shippingAddress, card: { ...card, ...change } }),
      'BAD_REQUEST',
    );
    expect(JSON.stringify(error.cause ?? error.message)).toMatch(message);
    expect(await harness.countEvents()).toBe(before);
  });

  it.each([
    ['a number the gateway refuses (not Luhn-valid)', { number: '4242 4242 4242 4241' }],
    ['an expiry in the past', { expiry: '01/20' }],
  ])('passes on the gateway refusing %s as BAD_REQUEST, and places nothing', async (_name, change) => {
    const mug = await harness.listProduct(5);
    const browser = shopper(harness.customers.maya);
    const cartId = await addToCart(browser, mug.productId, 1);
    const before = await harness.countEvents();
    await expectTRPCError(
      harness.request(browser).api.cart.checkOut({ ...key(), cartId, shippingAddress, card: { ...card, ...change } }),
      'BAD_REQUEST',
    );
    expect(await harness.countEvents()).toBe(before);
  });
});
