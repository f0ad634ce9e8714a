import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { card, expectTRPCError, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';

/** The storefront's reads through the API: the catalog's sorting and paging, and the cart's stock per line. */
const harness = useRouterHarness();
const key = () => ({ idempotencyKey: randomUUID() });

describe('the storefront API', () => {
  it('sorts and pages the catalog, and refuses an order it does not know as a bad request', async () => {
    await harness.listProduct(5);
    await harness.listProduct(5);
    await harness.catchUpAll();
    const { api } = harness.request({ customerId: null, cartId: null });

    const byPrice = await api.catalog.list({ sort: 'price_desc' });
    expect(byPrice).toMatchObject({ sort: 'price_desc', page: 1, pageCount: 1, total: 2 });
    expect(byPrice.products[0]!.priceCents).toBeGreaterThanOrEqual(byPrice.products[1]!.priceCents);

    const refused = await expectTRPCError(api.catalog.list({ sort: 'cheapest' as never }), 'BAD_REQUEST');
    expect(refused.message).toContain('Sort by one of: name, price_asc, price_desc, newest.');
    await expectTRPCError(api.catalog.list({ page: 0 }), 'BAD_REQUEST');
  });

  it("tells the cart each line's stock, so the page can warn before checkout refuses", async () => {
    const kite = await harness.listProduct(3);
    const maya: Browser = { customerId: harness.customers.maya, cartId: null };
    const liam: Browser = { customerId: harness.customers.liam, cartId: null };
    maya.cartId = (await harness.request(maya).api.cart.addItem({ ...key(), productId: kite.productId, quantity: 3 })).cartId;
    liam.cartId = (await harness.request(liam).api.cart.addItem({ ...key(), productId: kite.productId, quantity: 2 })).cartId;
    await harness.catchUpAll();

    const before = await harness.request(maya).api.cart.get();
    expect(before.cart?.maxLineQuantity).toBe(99);
    expect(before.cart?.lines).toEqual([
      expect.objectContaining({ productId: kite.productId, quantity: 3, stock: 3, category: kite.category }),
    ]);

    // Liam buys two first: Maya's line now asks for more than is left.
    await harness.request(liam).api.cart.checkOut({ ...key(), cartId: liam.cartId, shippingAddress, card });
    await harness.catchUpAll();
    const after = await harness.request(maya).api.cart.get();
    expect(after.cart?.lines).toEqual([expect.objectContaining({ quantity: 3, stock: 1 })]);
    await expectTRPCError(
      harness.request(maya).api.cart.checkOut({ ...key(), cartId: maya.cartId, shippingAddress, card }),
      'CONFLICT',
    );
  });
});
