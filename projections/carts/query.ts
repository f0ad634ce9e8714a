import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { cartsProjection } from './projection';
import { cartLines, carts, type Cart, type CartLineRow } from './schema';

export type CartView = {
  readonly checkpoint: string;
  readonly cart: (Cart & { lines: CartLineRow[]; totalCents: number; itemCount: number }) | null;
};

export function getCart(db: Orm, cartId: string): Promise<CartView> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, cartsProjection.name);
    const [cart] = await tx.select().from(carts).where(eq(carts.cartId, cartId));
    if (!cart) return { checkpoint, cart: null };
    const lines = await tx.select().from(cartLines).where(eq(cartLines.cartId, cartId)).orderBy(asc(cartLines.addedPosition));
    const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const itemCount = lines.reduce((sum, line) => sum + line.quantity, 0);
    return { checkpoint, cart: { ...cart, lines, totalCents, itemCount } };
  });
}

/**
 * The shopper's open cart last changed, from whichever device; null when they have none (yet). Asked by every
 * cart command that comes without a cart cookie, so the statement is built once per database, not per call.
 */
export async function findOpenCartId(db: Orm, customerId: string): Promise<string | null> {
  const [cart] = await openCartQuery(db).execute({ customerId });
  return cart?.cartId ?? null;
}

const openCartQueries = new WeakMap<Orm, ReturnType<typeof prepareOpenCartQuery>>();

function openCartQuery(db: Orm) {
  let query = openCartQueries.get(db);
  if (!query) openCartQueries.set(db, (query = prepareOpenCartQuery(db)));
  return query;
}

function prepareOpenCartQuery(db: Orm) {
  return db
    .select({ cartId: carts.cartId })
    .from(carts)
    .where(and(eq(carts.customerId, sql.placeholder('customerId')), eq(carts.status, 'open')))
    .orderBy(desc(carts.updatedAt))
    .limit(1)
    .prepare('find_open_cart');
}
