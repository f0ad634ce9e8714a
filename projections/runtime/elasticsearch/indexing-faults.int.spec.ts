import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { catchUp, consumerBatches, readConsumerStatus, runConsumers } from '@/db/consumers';
import { logStart, readCheckpoint, type LogPosition } from '@/db/event-store';
import { productStreamId, type ProductListed } from '@/domain';
import { useShopDatabase } from '@/projections/testing';
import type { ProductDocument } from '../../product-search/index-definition';
import { productSearchProjection } from '../../product-search/projection';
import { appendShopEvents } from '../../testing';
import { deadLetters } from '@/db/schema/dead-letters';
import { createSearchClient } from './client';
import { SearchUnavailableError, type SearchFailureKind } from './failures';
import { searchConsumer } from './indexing';
import type { SearchProjection } from './projection';
import { physicalName } from './search-index';
import {
  blockIndex,
  closeIndex,
  createUnassignedIndex,
  projectSearch,
  smallSearchBatches,
  storedDocument,
  testIndexPrefix,
  useSearchClient,
  type LiftFault,
} from './testing';

/**
 * The search consumer while its index cannot take writes: closed, read-only (each kind of block), red,
 * deleted. Every batch fails with a SearchUnavailableError that says why, the checkpoint holds, no event is
 * recorded as a dead letter, and once the fault is lifted the same consumer carries on and every
 * document ends at its stream's version: nothing lost, nothing applied twice. Each test lists products of
 * its own; the red index is a read model of its own, since only a new index can be made red.
 */
const ctx = useShopDatabase();
const prefix = testIndexPrefix();
const products = productSearchProjection(prefix);
// A read model of its own (the checkpoint's key is the projection's name, whatever the index prefix).
const redProducts = { ...productSearchProjection(`${prefix}_red`), name: 'red_product_search_v1' };
const client = useSearchClient(products.index, redProducts.index);
const silent = pino({ level: 'silent' });

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name: `Product ${productId}`, description: '-', category: 'misc', priceCents: 1_000, stock: 1, listedAt },
});
const list = (...ids: string[]) =>
  appendShopEvents(ctx.store, ids.map((id) => ({ streamId: productStreamId(id), events: [listed(id)] })));
const reprice = (productId: string, previousPriceCents: number, priceCents: number) =>
  appendShopEvents(ctx.store, {
    streamId: productStreamId(productId),
    events: [{ type: 'ProductRepriced', data: { productId, previousPriceCents, priceCents, repricedAt: listedAt } }],
  });
const failuresOf = (projection: SearchProjection) => ctx.db.orm.select().from(deadLetters).where(eq(deadLetters.consumer, projection.name));

/** One batch, as the engine runs it: the error it failed with, or null. */
const oneBatch = (projection: SearchProjection = products) =>
  consumerBatches(ctx.source, searchConsumer(client, projection), smallSearchBatches)
    .next()
    .then(
      () => null,
      (error: unknown) => error,
    );

/** The batch fails for `kind`, with a message that says so and names no index; nothing moved or was recorded. */
async function expectHeldBy(projection: SearchProjection, kind: SearchFailureKind, message: RegExp, checkpoint: LogPosition) {
  const error = await oneBatch(projection);
  expect(error).toBeInstanceOf(SearchUnavailableError);
  expect(error).toMatchObject({ failure: { kind }, message: expect.stringMatching(message) });
  expect((error as Error).message).not.toContain(prefix);
  expect(await readCheckpoint(ctx.db.orm, projection.name)).toEqual(checkpoint);
  expect(await failuresOf(projection)).toEqual([]);
}

async function whileFaulted(fault: Promise<LiftFault>, during: () => Promise<void>): Promise<void> {
  const lift = await fault;
  try {
    await during();
  } finally {
    await lift();
  }
}

describe('the search consumer when its index cannot take writes', () => {
  it('waits while the index is closed and carries on once it is open', async () => {
    await list('closed-kettle');
    await reprice('closed-kettle', 1_000, 900);
    await projectSearch(ctx, client, products);
    const before = await readCheckpoint(ctx.db.orm, products.name);
    let last: LogPosition = before;
    await whileFaulted(closeIndex(client, products.index), async () => {
      await list('closed-lamp');
      last = await reprice('closed-kettle', 900, 800);
      await expectHeldBy(products, 'index-closed', /^Reading the documents to update: the index is closed$/, before);
      // Again: a retry while the fault lasts changes nothing either.
      await expectHeldBy(products, 'index-closed', /the index is closed/, before);
    });
    expect(await projectSearch(ctx, client, products)).toBe(2);
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    expect(await storedDocument<ProductDocument>(client, products.index, 'closed-kettle')).toMatchObject({ version: 3, doc: { priceCents: 800 } });
    expect(await storedDocument<ProductDocument>(client, products.index, 'closed-lamp')).toMatchObject({ version: 1 });
  });

  it.each([
    ['write', /the index is read-only \(a write block is set\)/],
    ['read_only', /the index is read-only \(a write block is set\)/],
    ['read_only_allow_delete', /the index is read-only because the disk is nearly full/],
  ] as const)('waits out a %s block, records no document as refused, and applies each event once', async (block, reason) => {
    const id = `blocked-${block}`;
    await list(id);
    await projectSearch(ctx, client, products);
    const before = await readCheckpoint(ctx.db.orm, products.name);
    let last: LogPosition = before;
    await whileFaulted(blockIndex(client, products.index, block), async () => {
      await reprice(id, 1_000, 900);
      last = await reprice(id, 900, 700);
      await expectHeldBy(products, 'read-only', new RegExp(`^Elasticsearch did not take 1 of 1 documents: ${reason.source}`), before);
    });
    expect(await projectSearch(ctx, client, products)).toBe(2);
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    expect(await storedDocument<ProductDocument>(client, products.index, id)).toMatchObject({ version: 3, doc: { priceCents: 700 } });
  });

  it('waits while no shard of the index is available (red) and indexes everything once it starts', async () => {
    await whileFaulted(createUnassignedIndex(client, redProducts.index), async () => {
      await list('red-kettle', 'red-lamp');
      await expectHeldBy(redProducts, 'shards-unavailable', /^Reading the documents to update: no copy of the index is available/, logStart);
    });
    const last = await reprice('red-kettle', 1_000, 950);
    await projectSearch(ctx, client, redProducts);
    expect(await readCheckpoint(ctx.db.orm, redProducts.name)).toEqual(last);
    expect(await storedDocument<ProductDocument>(client, redProducts.index, 'red-kettle')).toMatchObject({ version: 2, doc: { priceCents: 950 } });
    expect(await storedDocument<ProductDocument>(client, redProducts.index, 'red-lamp')).toMatchObject({ version: 1 });
  });

  it('fills a deleted index again from the start of the log, and serves it only once it has caught up', async () => {
    await list('deleted-kettle');
    await projectSearch(ctx, client, products);
    const before = await readCheckpoint(ctx.db.orm, products.name);
    // Deleted behind the consumer's back, as an operator's mistake would: the consumer still thinks it exists.
    await client.indices.delete({ index: physicalName(products.index) });
    const last = await list('deleted-lamp');
    await expectHeldBy(products, 'index-missing', /^Reading the documents to update: the index does not exist$/, before);

    // The next batch makes the index again and sends the checkpoint back to the start, without the alias:
    // until the index has caught up, searches hear that it is missing ("catching up"), not a few documents.
    await expect(consumerBatches(ctx.source, searchConsumer(client, products), smallSearchBatches).next()).resolves.toMatchObject({
      read: 0,
      replayedFromStart: `the index ${physicalName(products.index)} did not exist, so it was made again, empty`,
    });
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(logStart);
    expect(await client.indices.existsAlias({ name: products.index.alias })).toBe(false);

    await projectSearch(ctx, client, products);
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    // The kettle's document, lost with the index, is back: carrying on from the checkpoint would have left it out.
    expect(await storedDocument<ProductDocument>(client, products.index, 'deleted-kettle')).toMatchObject({ version: 1 });
    expect(await storedDocument<ProductDocument>(client, products.index, 'deleted-lamp')).toMatchObject({ version: 1 });
    const mapping = await client.indices.getMapping({ index: products.index.alias });
    expect(mapping[physicalName(products.index)]?.mappings.dynamic).toBe('strict');
  });

  it('fills the index from the start when a process finds it missing at its first batch (a node that came back empty)', async () => {
    await list('emptied-kettle');
    await projectSearch(ctx, client, products);
    await client.indices.delete({ index: physicalName(products.index) });
    const last = await list('emptied-lamp');

    // A process that never saw the index: it finds none where its checkpoint says documents are.
    const fresh = createSearchClient(process.env.ELASTICSEARCH_URL || 'http://127.0.0.1:9200');
    try {
      await catchUp(ctx.source, searchConsumer(fresh, products), smallSearchBatches);
    } finally {
      await fresh.close();
    }
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    expect(await storedDocument<ProductDocument>(client, products.index, 'emptied-kettle')).toMatchObject({ version: 1 });
    expect(await storedDocument<ProductDocument>(client, products.index, 'emptied-lamp')).toMatchObject({ version: 1 });
  });

  it('on the engine: says why on the status page while blocked, retries, and recovers by itself', { timeout: 30_000 }, async () => {
    await list('engine-kettle');
    await projectSearch(ctx, client, products);
    const controller = new AbortController();
    const running = runConsumers(ctx.source, [searchConsumer(client, products)], {
      batchSize: 100,
      pollMs: 50,
      logger: silent,
      signal: controller.signal,
    });
    const status = async () => (await readConsumerStatus(ctx.db.orm)).find((row) => row.consumer === products.name);
    try {
      let last: LogPosition | undefined;
      await whileFaulted(blockIndex(client, products.index, 'write'), async () => {
        await reprice('engine-kettle', 1_000, 900);
        last = await reprice('engine-kettle', 900, 600);
        await expect.poll(async () => (await status())?.failingSince ?? null, { timeout: 10_000 }).toBeInstanceOf(Date);
        const failing = await status();
        expect(failing?.lastError).toBe(
          'SearchUnavailableError: Elasticsearch did not take 1 of 1 documents: the index is read-only (a write block is set)',
        );
        expect(failing?.behindEvents).toBeGreaterThan(0);
      });
      await expect.poll(async () => (await status())?.failingSince, { timeout: 15_000 }).toBeNull();
      expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
      expect(await storedDocument<ProductDocument>(client, products.index, 'engine-kettle')).toMatchObject({ version: 3, doc: { priceCents: 600 } });
      expect(await failuresOf(products)).toEqual([]);
    } finally {
      controller.abort();
      await running;
    }
  });
});
