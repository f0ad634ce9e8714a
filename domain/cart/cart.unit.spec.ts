import { describe, expect, expectTypeOf, it } from 'vitest';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors';
import { linesTotalCents } from '../lines';
import { given } from '../testing';
import {
  cartDecider,
  cartEventTypes,
  cartStreamId,
  maxLineQuantity,
  type AddItem,
  type CartEvent,
  type CartCheckedOut,
  type CartItemAdded,
} from './index';

const metadata = { now: new Date('2025-03-01T09:00:00.000Z') };
const at = metadata.now.toISOString();
const cartId = 'c-1';
const customerId = 'u-1';
const mug = { productId: 'p-1', name: 'Blue Mug', unitPriceCents: 1250 };
const tea = { productId: 'p-2', name: 'Green Tea', unitPriceCents: 499 };

const added = (item: typeof mug, quantity: number): CartItemAdded => ({
  type: 'CartItemAdded',
  data: { cartId, customerId, ...item, quantity, addedAt: at },
});
const addItem = (item: typeof mug, quantity: number, buyer = customerId): AddItem => ({
  type: 'AddItem',
  data: { cartId, customerId: buyer, ...item, quantity },
  metadata,
});
const removeItem = (productId: string) => ({ type: 'RemoveItem', data: { cartId, productId }, metadata }) as const;
const changeQuantity = (productId: string, quantity: number) =>
  ({ type: 'ChangeItemQuantity', data: { cartId, productId, quantity }, metadata }) as const;
const checkOut = { type: 'CheckOut', data: { cartId, orderId: 'o-1' }, metadata } as const;
const removed = (productId: string): CartEvent => ({ type: 'CartItemRemoved', data: { cartId, productId, removedAt: at } });
const checkedOut: CartCheckedOut = {
  type: 'CartCheckedOut',
  data: { cartId, customerId, orderId: 'o-1', lines: [{ ...mug, quantity: 2 }], totalCents: 2500, checkedOutAt: at },
};

describe('Cart', () => {
  it('names its stream, lists every event type and totals lines', () => {
    expect(cartStreamId(cartId)).toBe('cart-c-1');
    expect(maxLineQuantity).toBe(99);
    expectTypeOf<(typeof cartEventTypes)[number]>().toEqualTypeOf<CartEvent['type']>();
    expect(linesTotalCents([{ ...mug, quantity: 2 }, { ...tea, quantity: 3 }])).toBe(3997);
    expect(linesTotalCents([])).toBe(0);
  });

  describe('AddItem', () => {
    it('opens a cart with its first item', () => {
      given(cartDecider).when(addItem(mug, 2)).then([added(mug, 2)]);
    });

    it('adds a second product as a new line', () => {
      given(cartDecider, [added(mug, 2)]).when(addItem(tea, 1)).then([added(tea, 1)]);
    });

    it('sums the quantity of a product already in the cart', () => {
      given(cartDecider, [added(mug, 2)])
        .when(addItem(mug, 3))
        .then([{ type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-1', quantity: 5, changedAt: at } }]);
    });

    it('accepts a new line of exactly 99, the most one line may hold', () => {
      given(cartDecider).when(addItem(mug, maxLineQuantity)).then([added(mug, 99)]);
    });

    it('accepts summing up to exactly 99', () => {
      given(cartDecider, [added(mug, 97)])
        .when(addItem(mug, 2))
        .then([{ type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-1', quantity: 99, changedAt: at } }]);
    });

    it('refuses a line above 99 when summing', () => {
      given(cartDecider, [added(mug, 98)])
        .when(addItem(mug, 2))
        .thenThrows(IllegalStateError, /at most 99 of Blue Mug/);
    });

    it('refuses a new line above 99', () => {
      given(cartDecider).when(addItem(mug, 100)).thenThrows(IllegalStateError, /at most 99 of Blue Mug/);
    });

    it("refuses another customer's item", () => {
      given(cartDecider, [added(mug, 1)])
        .when(addItem(tea, 1, 'u-2'))
        .thenThrows(IllegalStateError, /belongs to another customer/);
    });

    it('refuses a checked-out cart', () => {
      given(cartDecider, [added(mug, 2), checkedOut])
        .when(addItem(tea, 1))
        .thenThrows(IllegalStateError, /already been checked out/);
    });

    it.each([0, -1, 1.5])('refuses quantity %s', (quantity) => {
      given(cartDecider).when(addItem(mug, quantity)).thenThrows(ValidationError, /quantity/);
    });

    it('refuses a price that is not a positive integer', () => {
      given(cartDecider)
        .when(addItem({ ...mug, unitPriceCents: 12.5 }, 1))
        .thenThrows(ValidationError, /price/);
    });
  });

  describe('RemoveItem', () => {
    it('removes a line', () => {
      given(cartDecider, [added(mug, 2), added(tea, 1)]).when(removeItem('p-1')).then([removed('p-1')]);
    });

    it('keeps the cart open after its last line goes', () => {
      given(cartDecider, [added(mug, 2), removed('p-1')])
        .when(addItem(tea, 1))
        .then([added(tea, 1)]);
    });

    it('refuses a product not in the cart', () => {
      given(cartDecider, [added(mug, 2)]).when(removeItem('p-2')).thenThrows(IllegalStateError, /not in your cart/);
    });

    it('refuses a cart that was never used', () => {
      given(cartDecider).when(removeItem('p-1')).thenThrows(NotFoundError, /^This cart does not exist\.$/);
    });

    it('refuses a checked-out cart', () => {
      given(cartDecider, [added(mug, 2), checkedOut])
        .when(removeItem('p-1'))
        .thenThrows(IllegalStateError, /already been checked out/);
    });
  });

  describe('ChangeItemQuantity', () => {
    it('changes the quantity of a line', () => {
      given(cartDecider, [added(mug, 2)])
        .when(changeQuantity('p-1', 7))
        .then([{ type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-1', quantity: 7, changedAt: at } }]);
    });

    it('removes the line when the quantity is 0', () => {
      given(cartDecider, [added(mug, 2)]).when(changeQuantity('p-1', 0)).then([removed('p-1')]);
    });

    it('records nothing when the quantity is unchanged', () => {
      given(cartDecider, [added(mug, 2)]).when(changeQuantity('p-1', 2)).then([]);
    });

    it('accepts exactly 99', () => {
      given(cartDecider, [added(mug, 2)])
        .when(changeQuantity('p-1', 99))
        .then([{ type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-1', quantity: 99, changedAt: at } }]);
    });

    it('refuses more than 99', () => {
      given(cartDecider, [added(mug, 2)])
        .when(changeQuantity('p-1', 100))
        .thenThrows(IllegalStateError, /at most 99 of Blue Mug/);
    });

    it('refuses a product not in the cart', () => {
      given(cartDecider, [added(mug, 2)])
        .when(changeQuantity('p-2', 1))
        .thenThrows(IllegalStateError, /not in your cart/);
    });

    it('refuses a cart that was never used', () => {
      given(cartDecider).when(changeQuantity('p-1', 1)).thenThrows(NotFoundError, /This cart does not exist/);
    });

    it('refuses a checked-out cart', () => {
      given(cartDecider, [added(mug, 2), checkedOut])
        .when(changeQuantity('p-1', 1))
        .thenThrows(IllegalStateError, /already been checked out/);
    });

    it.each([-1, 2.5])('refuses quantity %s', (quantity) => {
      given(cartDecider, [added(mug, 2)]).when(changeQuantity('p-1', quantity)).thenThrows(ValidationError, /quantity/);
    });
  });

  describe('CheckOut', () => {
    it('checks out the current lines with their total', () => {
      const history: CartEvent[] = [
        added(mug, 1),
        added(tea, 4),
        { type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-1', quantity: 2, changedAt: at } },
        removed('p-2'),
      ];
      given(cartDecider, history)
        .when(checkOut)
        .then([checkedOut]);
    });

    it('checks out each line at its own quantity: a change applies to the line it names only', () => {
      given(cartDecider, [
        added(mug, 2),
        added(tea, 1),
        { type: 'CartItemQuantityChanged', data: { cartId, productId: 'p-2', quantity: 5, changedAt: at } },
      ])
        .when(checkOut)
        .then([
          {
            type: 'CartCheckedOut',
            data: { ...checkedOut.data, lines: [{ ...mug, quantity: 2 }, { ...tea, quantity: 5 }], totalCents: 4995 },
          },
        ]);
    });

    it('refuses an open cart with no lines', () => {
      given(cartDecider, [added(mug, 2), removed('p-1')])
        .when(checkOut)
        .thenThrows(IllegalStateError, /^Cannot check out an empty cart\.$/);
    });

    it('refuses a cart that was never used', () => {
      given(cartDecider).when(checkOut).thenThrows(NotFoundError, /This cart does not exist/);
    });

    it('refuses checking out twice', () => {
      given(cartDecider, [added(mug, 2), checkedOut]).when(checkOut).thenThrows(IllegalStateError, /already been checked out/);
    });
  });
});
