import { describe, expect, expectTypeOf, it } from 'vitest';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors';
import { given } from '../testing';
import {
  productDecider,
  productEventTypes,
  productStreamId,
  type ProductEvent,
  type ProductListed,
} from './index';

const metadata = { now: new Date('2025-03-01T09:00:00.000Z') };
const at = metadata.now.toISOString();
const productId = 'p-1';
const orderId = 'o-1';

const listed: ProductListed = {
  type: 'ProductListed',
  data: {
    productId,
    name: 'Blue Mug',
    description: 'A mug, blue.',
    category: 'kitchen',
    priceCents: 1250,
    stock: 3,
    listedAt: at,
  },
};

describe('Product', () => {
  it('names its stream and lists every event type', () => {
    expect(productStreamId(productId)).toBe('product-p-1');
    expectTypeOf<(typeof productEventTypes)[number]>().toEqualTypeOf<ProductEvent['type']>();
  });

  describe('ListProduct', () => {
    const { stock, listedAt, ...data } = listed.data;
    const list = { type: 'ListProduct' as const, data: { ...data, initialStock: stock }, metadata };

    it('lists a new product', () => {
      given(productDecider).when(list).then([listed]);
    });

    it('lists a product with no stock yet', () => {
      given(productDecider)
        .when({ ...list, data: { ...list.data, initialStock: 0 } })
        .then([{ type: 'ProductListed', data: { ...listed.data, stock: 0 } }]);
    });

    it('refuses to list a product twice', () => {
      given(productDecider, [listed]).when(list).thenThrows(IllegalStateError, /already listed/);
    });

    it.each([0, -100, 12.5])('refuses price %s', (priceCents) => {
      given(productDecider)
        .when({ ...list, data: { ...list.data, priceCents } })
        .thenThrows(ValidationError, /price must be a whole number/);
    });

    it.each([-1, 1.5])('refuses initial stock %s', (initialStock) => {
      given(productDecider)
        .when({ ...list, data: { ...list.data, initialStock } })
        .thenThrows(ValidationError, /initial stock/);
    });
  });

  describe('RepriceProduct', () => {
    const reprice = (priceCents: number) =>
      ({ type: 'RepriceProduct', data: { productId, priceCents }, metadata }) as const;

    it('reprices a listed product', () => {
      given(productDecider, [listed])
        .when(reprice(990))
        .then([
          { type: 'ProductRepriced', data: { productId, previousPriceCents: 1250, priceCents: 990, repricedAt: at } },
        ]);
    });

    it('records nothing when the price is unchanged', () => {
      given(productDecider, [listed]).when(reprice(1250)).then([]);
    });

    it('refuses a product that was never listed', () => {
      given(productDecider).when(reprice(990)).thenThrows(NotFoundError, /does not exist/);
    });

    it('refuses a price that is not a positive integer', () => {
      given(productDecider, [listed]).when(reprice(0)).thenThrows(ValidationError, /price/);
    });
  });

  describe('RestockProduct', () => {
    const restock = (quantity: number) =>
      ({ type: 'RestockProduct', data: { productId, quantity }, metadata }) as const;

    it('adds stock and records the new level', () => {
      given(productDecider, [listed])
        .when(restock(5))
        .then([{ type: 'ProductRestocked', data: { productId, quantity: 5, stock: 8, restockedAt: at } }]);
    });

    it('refuses a product that was never listed', () => {
      given(productDecider).when(restock(5)).thenThrows(NotFoundError, /does not exist/);
    });

    it.each([0, -2, 1.5])('refuses quantity %s', (quantity) => {
      given(productDecider, [listed]).when(restock(quantity)).thenThrows(ValidationError, /quantity/);
    });
  });

  describe('ReserveStock', () => {
    const reserve = (quantity: number) =>
      ({ type: 'ReserveStock', data: { productId, orderId, quantity }, metadata }) as const;

    it('reserves stock for an order', () => {
      given(productDecider, [listed])
        .when(reserve(2))
        .then([{ type: 'StockReserved', data: { productId, orderId, quantity: 2, stock: 1, reservedAt: at } }]);
    });

    it('may reserve the last unit', () => {
      given(productDecider, [listed])
        .when(reserve(3))
        .then([{ type: 'StockReserved', data: { productId, orderId, quantity: 3, stock: 0, reservedAt: at } }]);
    });

    it('never lets stock go negative', () => {
      given(productDecider, [listed]).when(reserve(4)).thenThrows(IllegalStateError, /^Only 3 of Blue Mug left in stock\.$/);
    });

    it('says when a product is sold out', () => {
      const soldOut: ProductEvent = {
        type: 'StockReserved',
        data: { productId, orderId: 'o-0', quantity: 3, stock: 0, reservedAt: at },
      };
      given(productDecider, [listed, soldOut]).when(reserve(1)).thenThrows(IllegalStateError, /Blue Mug is out of stock/);
    });

    it('refuses a product that was never listed', () => {
      given(productDecider).when(reserve(1)).thenThrows(NotFoundError, /does not exist/);
    });

    it('refuses a quantity that is not a positive integer', () => {
      given(productDecider, [listed]).when(reserve(0)).thenThrows(ValidationError, /quantity/);
    });
  });

  describe('ReleaseStock', () => {
    const release = (quantity: number) =>
      ({ type: 'ReleaseStock', data: { productId, orderId, quantity }, metadata }) as const;
    const reserved: ProductEvent = {
      type: 'StockReserved',
      data: { productId, orderId, quantity: 2, stock: 1, reservedAt: at },
    };

    it('returns reserved stock', () => {
      given(productDecider, [listed, reserved])
        .when(release(2))
        .then([{ type: 'StockReleased', data: { productId, orderId, quantity: 2, stock: 3, releasedAt: at } }]);
    });

    it('refuses a product that was never listed', () => {
      given(productDecider).when(release(1)).thenThrows(NotFoundError, /does not exist/);
    });

    it('refuses a quantity that is not a positive integer', () => {
      given(productDecider, [listed]).when(release(-1)).thenThrows(ValidationError, /quantity/);
    });
  });
});
