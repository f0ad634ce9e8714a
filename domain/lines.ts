import { z } from 'zod';
import { cents, count, id } from './schema';

/**
 * A product in a cart or an order, at the name and unit price the shopper saw when the item was added. The
 * line keeps them, rather than pointing at the product, so a later reprice or rename never changes what is
 * in the cart, and the order charges what the shopper agreed to.
 */
export const lineSchema = z.strictObject({ productId: id, name: z.string(), unitPriceCents: cents, quantity: count });

export type Line = z.infer<typeof lineSchema>;

export function linesTotalCents(lines: readonly Pick<Line, 'unitPriceCents' | 'quantity'>[]): number {
  return lines.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0);
}
