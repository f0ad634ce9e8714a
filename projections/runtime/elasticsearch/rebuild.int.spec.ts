import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { catchUp, runConsumers } from '@/db/consumers';
import { readCheckpoint } from '@/db/event-store';
import { customerStreamId, productStreamId, type ShopEvent } from '@/domain';
import { productSearchProjection } from '@/projections/product-search/projection';
import { searchProducts } from '@/projections/product-search/query';
import { appendShopEvents, useShopDatabase } from '@/projections/testing';
import { cancelRebuild, requestRebuild } from '../rebuild/rebuild';
import { searchConsumer } from './indexing';
import { fingerprintIndex, runSearchRebuild } from './rebuild';
import { concreteIndices, generationName, physicalName } from './search-index';
import { testIndexPrefix, useSearchClient } from './testing';

/**
 * A search index rebuilt beside the live one, on the real node: verified and swapped by one alias update while
 * searches go on and the live consumer keeps running, then the live consumer writes to the new generation.
 */
const ctx = useShopDatabase();
const projection = productSearchProjection(testIndexPrefix());
const client = useSearchClient(projection.index);
const silent = pino({ level: 'silent' });
const live = searchConsumer(client, projection);
const options = { batchSize: 7, instanceId: 'search-rebuild-spec' };

let minute = 0;
const at = () => new Date(Date.UTC(2026, 1, 2, 9, 0) + (minute += 1) * 60_000).toISOString();

/** Events the index does not handle, so that some pages of the log bring it nothing to write. */
async function register(count: number) {
  for (let index = 0; index < count; index++) {
    const customerId = `customer-${minute}-${index}`;
    await appendShopEvents(ctx.store, {
      streamId: customerStreamId(customerId),
      events: [{ type: 'CustomerRegistered', data: { customerId, name: 'A customer', email: `${customerId}@example.com`, registeredAt: at() } }],
    });
  }
}

async function list(prefix: string, count: number) {
  for (let index = 0; index < count; index++) {
    const productId = `${prefix}-${index}`;
    const events: ShopEvent[] = [
      { type: 'ProductListed', data: { productId, name: `Lamp ${prefix} ${index}`, description: 'A lamp', category: 'lighting', priceCents: 1_000 + index, stock: 5, listedAt: at() } },
      { type: 'ProductRepriced', data: { productId, previousPriceCents: 1_000 + index, priceCents: 900 + index, repricedAt: at() } },
    ];
    await appendShopEvents(ctx.store, { streamId: productStreamId(productId), events });
  }
}

const total = async () => (await searchProducts(ctx.db.orm, client, projection, { text: 'lamp' })).total;

describe('a search index rebuilt beside the live one', () => {
  it('swaps in with no failed search, identical documents, and the live consumer writing to it afterwards', async () => {
    await list('first', 10);
    await register(20);
    await list('second', 10);
    await catchUp(ctx.source, live, { batchSize: 50 });
    const controller = new AbortController();
    const running = runConsumers(ctx.source, [live], { batchSize: 10, pollMs: 20, logger: silent, signal: controller.signal });
    const failures: unknown[] = [];
    let searches = 0;
    let empty = 0;
    const searching = (async () => {
      while (!controller.signal.aborted) {
        const result = await searchProducts(ctx.db.orm, client, projection, { text: 'lamp' }).catch((error: unknown) => {
          failures.push(error);
          return null;
        });
        searches++;
        if (result && (!result.available || result.total === 0)) empty++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const row = await requestRebuild(ctx.db.orm, [projection], 'spec', { holder: options.instanceId });
      const writing = list('during', 5);
      const result = await runSearchRebuild(ctx.source, client, row, projection, options);
      await writing;
      expect(result.status, result.error ?? '').toBe('swapped');
      const [compared] = result.verification!.tables;
      expect(compared!.rebuilt).toEqual(compared!.live);
      expect(await concreteIndices(client, projection.index.alias)).toEqual([generationName(projection.index, row.id)]);
      expect(await concreteIndices(client, physicalName(projection.index))).toEqual([generationName(projection.index, row.id)]);
      // The live consumer was resumed and writes through the version's name into the new generation.
      await list('after', 3);
      await expect.poll(total, { timeout: 15_000 }).toBe(28);
    } finally {
      controller.abort();
      await Promise.all([running, searching]);
    }
    expect(failures).toEqual([]);
    expect(empty).toBe(0);
    expect(searches).toBeGreaterThan(0);
  });

  it('rebuilds a rebuilt index again, and a cancelled rebuild deletes its generation and leaves the live one alone', async () => {
    await catchUp(ctx.source, live, { batchSize: 50 });
    const again = await runSearchRebuild(ctx.source, client, await requestRebuild(ctx.db.orm, [projection], 'spec', { holder: options.instanceId }), projection, options);
    expect(again.status, again.error ?? '').toBe('swapped');
    expect(await concreteIndices(client, projection.index.alias)).toEqual([generationName(projection.index, again.id)]);

    const before = await fingerprintIndex(client, physicalName(projection.index));
    const checkpoint = await readCheckpoint(ctx.db.orm, projection.name);
    const row = await requestRebuild(ctx.db.orm, [projection], 'spec', { holder: options.instanceId });
    let asked = false;
    const result = await runSearchRebuild(ctx.source, client, row, projection, {
      ...options,
      batchSize: 3,
      onProgress: (step) => {
        if (step.done > 0 && !asked) {
          asked = true;
          void cancelRebuild(ctx.db.orm, row.id, 'spec');
        }
      },
    });
    expect(result.status).toBe('cancelled');
    expect(await client.indices.exists({ index: generationName(projection.index, row.id) })).toBe(false);
    expect(await fingerprintIndex(client, physicalName(projection.index))).toEqual(before);
    expect(await readCheckpoint(ctx.db.orm, projection.name)).toEqual(checkpoint);
  });
});
