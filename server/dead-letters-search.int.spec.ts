import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findDeadLetter } from '@/db/dead-letters';
import { deadLetters } from '@/db/schema/dead-letters';
import { IllegalStateError, productStreamId, type ProductListed } from '@/domain';
import { appendShopEvents, useShopDatabase } from '@/projections/testing';
import { defineSearchProjection } from '@/projections/runtime/elasticsearch/projection';
import { reindexDocument } from '@/projections/runtime/elasticsearch/reindex';
import { physicalName, type SearchIndex } from '@/projections/runtime/elasticsearch/search-index';
import { projectSearch, storedDocument, testIndexPrefix, useSearchClient } from '@/projections/runtime/elasticsearch/testing';
import { retryDeadLetter, skipDeadLetter } from './dead-letters';

/**
 * A document Elasticsearch refuses, on the real node: the consumer sets it aside as a dead letter and carries
 * on; staff fix the cause (here the mapping, which lacked a field the code now writes) and retry, and the
 * document is built again from the log as it is now. A retry never moves a document back, and a skip
 * delivers nothing. Each test lists products of its own.
 */
const ctx = useShopDatabase();
const prefix = testIndexPrefix();

type StrictDocument = { productId: string; name: string; priceCents: number };

/**
 * A read model of the test's own: its index's mapping lacks `colour` (the mapping behind the code), which it
 * writes for products whose id starts with `red-`; the tests' fix adds the field to the mapping.
 */
function strictReadModel(name: string) {
  const index: SearchIndex<StrictDocument> = {
    alias: `${prefix}_${name}`,
    version: 1,
    mappings: { dynamic: 'strict', properties: { productId: { type: 'keyword' }, name: { type: 'text' }, priceCents: { type: 'integer' } } },
  };
  return defineSearchProjection({
    name: `${name}_search`,
    index,
    documentId: (event) => event.data.productId,
    reducers: {
      ProductListed: (_, { data }) => ({
        productId: data.productId,
        name: data.name,
        priceCents: data.priceCents,
        ...(data.productId.startsWith('red-') ? { colour: 'red' } : {}),
      }),
      ProductRepriced: (doc, { data }) => doc && { ...doc, priceCents: data.priceCents },
    },
  });
}
const retried = strictReadModel('retried');
const raced = strictReadModel('raced');
const skipped = strictReadModel('skipped');
const client = useSearchClient(retried.index, raced.index, skipped.index);
const fixMapping = (readModel: typeof retried) =>
  client.indices.putMapping({ index: physicalName(readModel.index), properties: { colour: { type: 'keyword' } } });
const staff = 'staff:dead-letters-spec';

const listed = (productId: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name: `Product ${productId}`, description: '-', category: 'misc', priceCents: 1_000, stock: 1, listedAt: '2025-03-01T09:00:00.000Z' },
});
const list = (productId: string) => appendShopEvents(ctx.store, { streamId: productStreamId(productId), events: [listed(productId)] });
const reprice = (productId: string, previousPriceCents: number, priceCents: number) =>
  appendShopEvents(ctx.store, {
    streamId: productStreamId(productId),
    events: [{ type: 'ProductRepriced', data: { productId, previousPriceCents, priceCents, repricedAt: '2025-03-02T09:00:00.000Z' } }],
  });

/** What the router hands `retryDeadLetter`: the spec's database and log, and search by the spec's read model. */
const context = (readModel: typeof retried) => ({
  db: ctx.db,
  store: ctx.store,
  search: {
    reindex: (store: typeof ctx.store, _consumer: string, document: { streamId: string; target: string }) => reindexDocument(client, store, readModel, document),
  },
  broker: () => null,
});

async function deadLetterOf(productId: string) {
  const [letter] = await ctx.db.orm.select().from(deadLetters).where(eq(deadLetters.target, productId));
  if (!letter) throw new Error(`no dead letter for ${productId}`);
  return letter;
}

const found = async (readModel: typeof retried, id: string) => (await client.exists({ index: readModel.index.alias, id })) === true;

describe('a dead letter of a search read model', () => {
  it('is retried after the cause is fixed: the document is built from the log as it is now, and indexed', async () => {
    await list('red-kettle');
    await list('plain-kettle');
    await projectSearch(ctx, client, retried);
    const letter = await deadLetterOf('red-kettle');
    expect(letter).toMatchObject({ consumer: retried.name, kind: 'document', status: 'open', attempts: 1, error: 'strict_dynamic_mapping_exception (400)' });
    expect(await found(retried, 'plain-kettle')).toBe(true);
    // The log moves on meanwhile; the live consumer has no copy to fold the new price onto.
    await reprice('red-kettle', 1_000, 800);
    await projectSearch(ctx, client, retried);

    // Retried before the fix: refused again, still open, the attempt counted.
    expect(await retryDeadLetter(context(retried), letter.id, staff)).toEqual({ status: 'open', error: 'strict_dynamic_mapping_exception (400)' });
    expect(await findDeadLetter(ctx.db.orm, letter.id)).toMatchObject({ status: 'open', attempts: 2, resolvedAt: null });

    await fixMapping(retried);
    expect(await retryDeadLetter(context(retried), letter.id, staff)).toEqual({ status: 'retried' });
    expect(await storedDocument<StrictDocument>(client, retried.index, 'red-kettle')).toEqual({
      version: 2,
      doc: { productId: 'red-kettle', name: 'Product red-kettle', priceCents: 800, colour: 'red' },
    });
    expect(await findDeadLetter(ctx.db.orm, letter.id)).toMatchObject({ status: 'retried', attempts: 3, resolvedBy: staff, resolvedAt: expect.any(Date) });
    // Resolved once: a second click is refused, saying who resolved it.
    await expect(retryDeadLetter(context(retried), letter.id, staff)).rejects.toThrow(new IllegalStateError(`Dead letter ${letter.id} was already retried by ${staff}.`));
  });

  it('never moves a document back: a retry folding an older version than the index holds overwrites nothing', async () => {
    await list('red-lamp');
    await projectSearch(ctx, client, raced);
    const letter = await deadLetterOf('red-lamp');
    await fixMapping(raced);
    // A newer document than the log's (version 1) is already there, as a write racing the retry would leave it.
    const newer = { productId: 'red-lamp', name: 'Newer lamp', priceCents: 500, colour: 'red' };
    await client.index({ index: physicalName(raced.index), id: 'red-lamp', document: newer, version: 7, version_type: 'external', refresh: true });

    const result = await retryDeadLetter(context(raced), letter.id, staff);
    expect(result).toEqual({ status: 'open', error: "The index holds a newer version of red-lamp than the log's 1; nothing was overwritten." });
    expect(await storedDocument<StrictDocument>(client, raced.index, 'red-lamp')).toEqual({ version: 7, doc: newer });
  });

  it('is skipped: kept for the audit, marked skipped by whom, and nothing is indexed', async () => {
    await list('red-mug');
    await projectSearch(ctx, client, skipped);
    const letter = await deadLetterOf('red-mug');
    expect(await skipDeadLetter(context(skipped), letter.id, staff)).toEqual({ status: 'skipped' });
    expect(await findDeadLetter(ctx.db.orm, letter.id)).toMatchObject({ status: 'skipped', attempts: 1, resolvedBy: staff, resolvedAt: expect.any(Date) });
    expect(await found(skipped, 'red-mug')).toBe(false);
    await expect(skipDeadLetter(context(skipped), letter.id, staff)).rejects.toThrow(/already skipped/);
    await expect(retryDeadLetter(context(skipped), letter.id, staff)).rejects.toThrow(/already skipped/);
  });
});
