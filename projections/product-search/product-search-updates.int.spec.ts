import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductEvent, type ProductListed } from '@/domain';
import { projectSearch, storedDocument, testIndexPrefix, useSearchClient } from '../runtime/elasticsearch/testing';
import { appendShopEvents, metadata } from '../testing';
import { productSearchProjection } from './projection';
import { searchPageSize, searchProducts, type ProductSearchInput } from './query';

/**
 * The product search tests that change products, each on products and a category of its own, and asserting
 * within them; product-search.int.spec.ts queries a catalogue no test changes.
 */
const ctx = useShopDatabase();
const projection = productSearchProjection(testIndexPrefix());
const client = useSearchClient(projection.index);
const search = (input: ProductSearchInput) => searchProducts(ctx.db.orm, client, projection, input);
const bandCounts = (result: { priceBands: { key: string; count: number }[] }) =>
  Object.fromEntries(result.priceBands.map((band) => [band.key, band.count]));

const listed = (id: string, name: string, category: string, priceCents: number, description: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId: id, name, description, category, priceCents, stock: 10, listedAt: '2025-03-01T09:00:00.000Z' },
});

const list = (...products: ProductListed[]) =>
  appendShopEvents(
    ctx.store,
    products.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
    metadata('seed-search', 'system:seed'),
  );

describe('product search: updates', () => {
  it('pages through results', async () => {
    const candles = Array.from({ length: searchPageSize + 1 }, (_, i) =>
      listed(`candle-${i}`, `Candle ${String(i).padStart(2, '0')}`, 'candles', 500, 'Beeswax'),
    );
    await list(...candles);
    await projectSearch(ctx, client, projection, { batchSize: 10 });

    const page1 = await search({ category: 'candles', page: 1 });
    const page2 = await search({ category: 'candles', page: 2 });
    expect(page1.total).toBe(searchPageSize + 1);
    expect(page1.products).toHaveLength(searchPageSize);
    expect(page1.products[0]?.name).toBe('Candle 00');
    expect(page2.products.map((product) => product.name)).toEqual([`Candle ${searchPageSize}`]);
    expect((await search({ category: 'candles', page: 3 })).products).toEqual([]);
  });

  it('follows reprices, restocks and reservations', async () => {
    const productId = 'steel-flask';
    await list(
      listed(productId, 'Steel Flask', 'flasks', 2_400, 'Keeps coffee hot for hours'),
      listed('glass-flask', 'Glass Flask', 'flasks', 1_000, 'Borosilicate'),
    );
    await projectSearch(ctx, client, projection);
    const listedBands = bandCounts(await search({ category: 'flasks' }));
    expect(listedBands).toEqual({ 'under-15': 1, '15-30': 1, '30-60': 0, '60-plus': 0 });

    const events: ProductEvent[] = [
      {
        type: 'ProductRepriced',
        data: { productId, previousPriceCents: 2_400, priceCents: 1_400, repricedAt: '2025-03-02T09:00:00.000Z' },
      },
      { type: 'ProductRestocked', data: { productId, quantity: 5, stock: 15, restockedAt: '2025-03-02T10:00:00.000Z' } },
      {
        type: 'StockReserved',
        data: { productId, orderId: 'o-1', quantity: 4, stock: 11, reservedAt: '2025-03-02T11:00:00.000Z' },
      },
    ];
    const last = await appendShopEvents(ctx.store, { streamId: productStreamId(productId), events });
    await projectSearch(ctx, client, projection);

    const cheap = await search({ category: 'flasks', priceBand: 'under-15' });
    expect(cheap.checkpoint).toBe(encodeToken(last));
    const flask = cheap.products.find((product) => product.productId === productId);
    expect(flask).toMatchObject({ priceCents: 1_400, stock: 11 });
    // The reprice moved it from one price band to the other.
    const repricedBands = bandCounts(await search({ category: 'flasks' }));
    expect(repricedBands).toEqual({ 'under-15': 2, '15-30': 0, '30-60': 0, '60-plus': 0 });
    expect(await storedDocument(client, projection.index, productId)).toMatchObject({ version: 4 });
  });
});
