import { randomUUID } from 'node:crypto';
import type { Orm } from '@/db/client';
import type { EventStore } from '@/db/event-store';
import { decodeToken, hasReached, readCheckpointToken } from '@/db/event-store';
import { cartsProjection } from '@/projections/carts/projection';
import { findOpenCartId } from '@/projections/carts/query';
import { mergeGuestCart } from '@/server/commands/cart';
import { stableUuid } from '@/server/seed-data';

/**
 * What signing in does to the carts: the guest's cart (the cart cookie's, else the guest's last open one)
 * joins the account's open cart, found from any device. Answers the cart the browser fills from now on, or
 * null when the account has none yet.
 *
 * The idempotency key is derived from the guest and the session, so a sign-in answer retried by the browser
 * merges once.
 */
export async function joinGuestCart(
  database: { orm: Orm; store: EventStore },
  input: { guestId: string | null; cartId: string | null; customerId: string; sessionId: string },
): Promise<string | null> {
  const customerCartId = await findOpenCartId(database.orm, input.customerId);
  const guestCartId = input.guestId ? (input.cartId ?? (await findOpenCartId(database.orm, input.guestId))) : null;
  if (!input.guestId || !guestCartId) return customerCartId;
  const key = stableUuid(`merge-cart:${input.guestId}:${input.sessionId}`);
  const result = await mergeGuestCart(
    database.store,
    { idempotencyKey: key, requestHash: key, correlationId: key, actor: `customer:${input.customerId}`, source: 'sign-in', now: new Date() },
    { guestId: input.guestId, guestCartId, customerId: input.customerId, customerCartId, newCartId: randomUUID() },
  );
  if (result.token) await cartsCaughtUp(database.orm, result.token);
  return result.cartId ?? customerCartId;
}

/** How long signing in waits for the carts read model to show the moved lines. */
const cartsWaitMs = 3_000;

/**
 * The browser never sees the merge's consistency token (the merge happens inside the sign-in), so its cart
 * page could not know to wait for it and would show the account's cart without the guest's lines until the
 * next refetch. Signing in answers once the carts read model has the merge instead, a few milliseconds
 * normally; if the consumers are down, after `cartsWaitMs`, and the page then catches up by itself later.
 */
async function cartsCaughtUp(orm: Orm, token: string): Promise<void> {
  const target = decodeToken(token);
  if (!target) return;
  const deadline = Date.now() + cartsWaitMs;
  while (Date.now() < deadline) {
    const checkpoint = decodeToken(await readCheckpointToken(orm, cartsProjection.name));
    if (checkpoint && hasReached(checkpoint, target)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
