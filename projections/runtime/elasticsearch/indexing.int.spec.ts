import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { logStart, readCheckpoint } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed, type ProductRepriced } from '@/domain';
import type { ProductDocument } from '../../product-search/index-definition';
import { productSearchProjection } from '../../product-search/projection';
import { appendShopEvents } from '../../testing';
import { deadLetters } from '@/db/schema/dead-letters';
import { defineSearchProjection } from './projection';
import type { SearchIndex } from './search-index';
import { moveCheckpointBack, projectSearch, storedDocument, testIndexPrefix, useSearchClient } from './testing';

const ctx = useShopDatabase();
const prefix = testIndexPrefix();
const products = productSearchProjection(prefix);

type StrictDocument = { productId: string; name: string };
const strictIndex: SearchIndex<StrictDocument> = {
  alias: `${prefix}_strict`,
  version: 1,
  mappings: { dynamic: 'strict', properties: { productId: { type: 'keyword' }, name: { type: 'text' } } },
};
/** Writes a field its mapping does not have for the product `misfit`, and only for it. */
const strict = defineSearchProjection({
  name: 'strict_search',
  index: strictIndex,
  documentId: (event) => event.data.productId,
  reducers: {
    ProductListed: (_, { data }) =>
      data.productId === 'misfit'
        ? // A field the mapping does not have, on purpose: Elasticsearch must refuse this document.
          ({ productId: data.productId, name: data.name, colour: 'red' } as StrictDocument)
        : { productId: data.productId, name: data.name },
  },
});

const client = useSearchClient(products.index, strictIndex);

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string, priceCents = 1_000): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name: `Product ${productId}`, description: '-', category: 'misc', priceCents, stock: 1, listedAt },
});
const reprice = (productId: string, previousPriceCents: number, priceCents: number) => {
  const event: ProductRepriced = {
    type: 'ProductRepriced',
    data: { productId, previousPriceCents, priceCents, repricedAt: '2025-03-02T09:00:00.000Z' },
  };
  return appendShopEvents(ctx.store, { streamId: productStreamId(productId), events: [event] });
};
const failuresOf = (projection: string) => ctx.db.orm.select().from(deadLetters).where(eq(deadLetters.consumer, projection));

describe('a search read model on the consumer engine', () => {
  it('replays a batch Elasticsearch already took without moving any document backwards', async () => {
    const listing = await appendShopEvents(ctx.store, [
      { streamId: productStreamId('kettle'), events: [listed('kettle', 4_900)] },
      { streamId: productStreamId('toaster'), events: [listed('toaster', 3_000)] },
    ]);
    await reprice('kettle', 4_900, 3_900);
    const caughtUp = await reprice('kettle', 3_900, 2_900);
    await projectSearch(ctx, client, products, { batchSize: 1 });
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(caughtUp);

    // A crash after the acknowledgement of the last batches, before their checkpoints: they come again, one
    // event at a time (each older than the document), and then all at once with a newer event after them.
    await moveCheckpointBack(ctx, products.name, listing);
    expect(await projectSearch(ctx, client, products, { batchSize: 1 })).toBe(2);
    expect(await storedDocument<ProductDocument>(client, products.index, 'kettle')).toMatchObject({
      version: 3,
      doc: { priceCents: 2_900 },
    });

    const last = await reprice('kettle', 2_900, 2_500);
    await moveCheckpointBack(ctx, products.name, logStart);
    expect(await projectSearch(ctx, client, products, { batchSize: 10 })).toBe(5);

    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    expect(await storedDocument<ProductDocument>(client, products.index, 'kettle')).toMatchObject({
      version: 4,
      doc: { priceCents: 2_500, name: 'Product kettle', stock: 1 },
    });
    expect(await storedDocument<ProductDocument>(client, products.index, 'toaster')).toMatchObject({
      version: 1,
      doc: { priceCents: 3_000 },
    });
    expect(await failuresOf(products.name)).toEqual([]);
  });

  it('records a document Elasticsearch can never accept as a dead letter, moves past it and indexes the others', async () => {
    const last = await appendShopEvents(ctx.store, [
      { streamId: productStreamId('fits'), events: [listed('fits')] },
      { streamId: productStreamId('misfit'), events: [listed('misfit')] },
      { streamId: productStreamId('also-fits'), events: [listed('also-fits')] },
    ]);
    await projectSearch(ctx, client, strict, { batchSize: 100 });

    expect(await readCheckpoint(ctx.db.orm, strict.name)).toEqual(last);
    const failures = await failuresOf(strict.name);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      kind: 'document',
      target: 'misfit',
      eventType: 'ProductListed',
      streamId: productStreamId('misfit'),
      streamVersion: 1,
      status: 'open',
      error: 'strict_dynamic_mapping_exception (400)',
      detail: expect.stringContaining('dynamic introduction of [colour]'),
    });

    const ids = ['fits', 'misfit', 'also-fits'];
    const stored = await client.mget<StrictDocument>({ index: strictIndex.alias, ids });
    expect(stored.docs.map((doc) => 'found' in doc && doc.found)).toEqual([true, false, true]);

    // Replaying the batch records the failure once, not twice.
    await moveCheckpointBack(ctx, strict.name, logStart);
    await projectSearch(ctx, client, strict, { batchSize: 100 });
    expect(await failuresOf(strict.name)).toHaveLength(1);
  });
});
