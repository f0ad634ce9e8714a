import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '@/db/event-store';
import { cartStreamId } from '@/domain';
import { useRouterHarness } from '@/server/testing';
import { addItemToCart } from './cart';
import type { CommandEnvelope } from './run-command';

const harness = useRouterHarness();

function envelope(): CommandEnvelope {
  const key = randomUUID();
  return { idempotencyKey: key, requestHash: key, correlationId: 'test', actor: 'customer:test', source: 'test', now: new Date() };
}

describe('streams a command starts under a new id', () => {
  it('are not read, yet an id that is already taken is refused and nothing is appended', async () => {
    const product = await harness.listProduct(10);
    const cartId = randomUUID();
    const input = { cartId: null, newCartId: cartId, customerId: harness.customers.maya, productId: product.productId, quantity: 1 };
    await addItemToCart(harness.store, envelope(), input);
    const before = await harness.store.readStream(cartStreamId(cartId));
    expect(before.map((event) => event.type)).toEqual(['CartItemAdded']);

    // The same "new" id again: the append expects no stream, so it conflicts on every attempt.
    await expect(addItemToCart(harness.store, envelope(), input)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await harness.store.readStream(cartStreamId(cartId))).toEqual(before);
  });
});
