import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { missingItem, trackingNumber, type Item } from './picking';

const items: Item[] = [
  { productId: 'mug', name: 'Blue Mug', quantity: 2 },
  { productId: 'teapot', name: 'Red Teapot', quantity: 1 },
  { productId: 'spoon', name: 'Long Spoon', quantity: 6 },
];

describe('picking', () => {
  it('finds the same thing for an order every time: a repeat answers the same', () => {
    const orderId = randomUUID();
    expect(missingItem(orderId, items, 0.5)).toEqual(missingItem(orderId, items, 0.5));
    expect(trackingNumber(orderId)).toBe(trackingNumber(orderId));
  });

  it('never misses an item at rate 0, always at rate 1, and about as often as asked between', () => {
    const orders = Array.from({ length: 2_000 }, () => randomUUID());
    expect(orders.filter((orderId) => missingItem(orderId, items, 0))).toEqual([]);
    expect(orders.every((orderId) => items.includes(missingItem(orderId, items, 1)!))).toBe(true);
    const share = orders.filter((orderId) => missingItem(orderId, items, 0.2)).length / orders.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('gives the tracking number of the simulator it replaces: PP and ten hex digits of the order id’s SHA-256', () => {
    // sha256('order-1') is 0bafe22156…
    expect(trackingNumber('order-1')).toBe('PP0BAFE22156');
    expect(trackingNumber('order-1')).not.toBe(trackingNumber('order-2'));
  });
});
