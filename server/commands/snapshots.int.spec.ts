import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { productDecider, productStreamId, type ProductState } from '@/domain';
import { expectTRPCError, useRouterHarness, type Browser } from '@/server/testing';
import { repriceProduct, restockProduct } from './catalog';
import type { CommandEnvelope } from './run-command';

const harness = useRouterHarness();
const policy = productDecider.snapshots!;

function envelope(): CommandEnvelope {
  const key = randomUUID();
  return { idempotencyKey: key, requestHash: key, correlationId: 'test', actor: 'staff:test', source: 'test', now: new Date() };
}

/** Restocks one unit at a time: one event per command, as a busy product's stream grows. */
async function restockTimes(productId: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await restockProduct(harness.store, envelope(), { productId, quantity: 1 });
}

describe('snapshots of long streams', () => {
  it('stores the state once a stream has grown by the policy, and decides on snapshot plus tail', async () => {
    const product = await harness.listProduct(0);
    const streamId = productStreamId(product.productId);
    await restockTimes(product.productId, policy.every - 2);
    expect((await harness.store.readStreamFromSnapshot(streamId, policy.stateVersion)).snapshot).toBeNull();

    // The command that takes the stream to `every` events stores the state at that version.
    await restockTimes(product.productId, 1);
    const { snapshot, events } = await harness.store.readStreamFromSnapshot<ProductState>(streamId, policy.stateVersion);
    expect(snapshot).toMatchObject({ version: policy.every, state: { status: 'listed', stock: policy.every - 1 } });
    expect(events).toEqual([]);

    // Later commands fold only the tail, and their events continue the stream's numbering.
    await restockTimes(product.productId, 3);
    const stream = await harness.store.readStream(streamId);
    expect(stream.map((e) => e.streamVersion)).toEqual(Array.from({ length: policy.every + 3 }, (_, i) => i + 1));
    expect(stream.at(-1)?.data).toMatchObject({ stock: policy.every + 2 });
  });

  it('decides on the snapshot, not on the whole stream', async () => {
    const product = await harness.listProduct(5);
    const streamId = productStreamId(product.productId);
    await restockTimes(product.productId, 2);
    // A snapshot that disagrees with the log can only be believed if it is actually read.
    await harness.store.saveSnapshot(streamId, policy.stateVersion, {
      version: 3,
      state: { status: 'listed', productId: product.productId, name: product.name, category: product.category, priceCents: 999, stock: 1 },
    });

    const browser: Browser = { customerId: harness.customers.maya, cartId: null };
    await expectTRPCError(
      harness.request(browser).api.cart.addItem({ idempotencyKey: randomUUID(), productId: product.productId, quantity: 2 }),
      'CONFLICT',
      `Only 1 of ${product.name} left in stock.`,
    );
    await repriceProduct(harness.store, envelope(), { productId: product.productId, priceCents: 1234 });
    expect((await harness.store.readStream(streamId)).at(-1)?.data).toMatchObject({ previousPriceCents: 999 });
  });

  it('ignores a snapshot from an older state version and folds the whole stream', async () => {
    const product = await harness.listProduct(5);
    const streamId = productStreamId(product.productId);
    await harness.store.saveSnapshot(streamId, policy.stateVersion - 1, { version: 1, state: { stale: true } });

    await restockTimes(product.productId, 1);
    expect((await harness.store.readStream(streamId)).at(-1)?.data).toMatchObject({ stock: 6 });
  });
});
