import { createHash } from 'node:crypto';
import type { PayloadOf } from '@/contracts';

export type Item = PayloadOf<'shipment.requested'>['items'][number];

/**
 * What picking finds is a function of the order, as it was in the simulator this service replaces: an order's
 * item is missing, or its tracking number is what it is, however often and by whichever warehouse process the
 * step is taken. The first four bytes of the order id's SHA-256 decide whether an item is missing (below
 * `missingRate` of the range), the fifth which one; the tracking number is `PP` and ten hex digits of it.
 */
export function missingItem(orderId: string, items: readonly Item[], missingRate: number): Item | null {
  const digest = digestOf(orderId);
  if (items.length === 0 || digest.readUInt32BE(0) / 2 ** 32 >= missingRate) return null;
  return items[digest[4]! % items.length]!;
}

export function trackingNumber(orderId: string): string {
  return `PP${digestOf(orderId).toString('hex').slice(0, 10).toUpperCase()}`;
}

function digestOf(orderId: string): Buffer {
  return createHash('sha256').update(orderId).digest();
}
