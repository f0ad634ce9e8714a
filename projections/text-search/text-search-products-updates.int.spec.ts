import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductEvent, type ProductListed } from '@/domain';
import { searchPageSize, type ProductSearchInput } from '../product-search/query';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { textSearchProjection } from './projection';
import { searchProductsByText } from './query';

/**
 * The product search tests that change products, each on products and a category of its own, and asserting
 * within them; text-search-products.int.spec.ts queries a catalogue no test changes.
 */
const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, textSearchProjection, smallBatches);
const search = (input: ProductSearchInput) => searchProductsByText(ctx.db.orm, input);
const ids = (result: { products: { productId: string }[] }) => result.products.map((product) => product.productId);
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

describe('text search: product updates', () => {
  it('sorts names regardless of case, as the lowercase-normalised name.sort of Elasticsearch does', async () => {
    await list(
      listed('ipad-stand', 'iPad Stand', 'desk', 2_000, 'Aluminium'),
      listed('riser', 'Laptop Riser', 'desk', 2_000, 'Oak'),
    );
    await project();
    expect(ids(await search({ category: 'desk' }))).toEqual(['ipad-stand', 'riser']);
    expect(ids(await search({ category: 'desk', sort: 'price_asc' }))).toEqual(['ipad-stand', 'riser']);
  });

  it('pages through results', async () => {
    const candles = Array.from({ length: searchPageSize + 1 }, (_, i) =>
      listed(`candle-${i}`, `Candle ${String(i).padStart(2, '0')}`, 'candles', 500, 'Beeswax'),
    );
    await list(...candles);
    await project();

    const page1 = await search({ category: 'candles', page: 1 });
    expect(page1.total).toBe(searchPageSize + 1);
    expect(page1.products).toHaveLength(searchPageSize);
    expect(page1.products[0]?.name).toBe('Candle 00');
    const page2 = await search({ category: 'candles', page: 2 });
    expect(page2).toMatchObject({ total: searchPageSize + 1 });
    expect(page2.products.map((product) => product.name)).toEqual([`Candle ${searchPageSize}`]);
    expect((await search({ category: 'candles', page: 3 })).products).toEqual([]);
    expect(ids(await search({ text: 'beeswax candle 07', category: 'candles' }))).toEqual(['candle-7']);
  });

  it('follows reprices, restocks and reservations', async () => {
    const productId = 'steel-flask';
    await list(
      listed(productId, 'Steel Flask', 'flasks', 2_400, 'Keeps coffee hot for hours'),
      listed('glass-flask', 'Glass Flask', 'flasks', 1_000, 'Borosilicate'),
    );
    await project();
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
    await project();

    const cheap = await search({ category: 'flasks', priceBand: 'under-15' });
    expect(cheap.checkpoint).toBe(encodeToken(last));
    const flask = cheap.products.find((product) => product.productId === productId);
    expect(flask).toMatchObject({ priceCents: 1_400, stock: 11 });
    // The reprice moved it from one price band to the other.
    const repricedBands = bandCounts(await search({ category: 'flasks' }));
    expect(repricedBands).toEqual({ 'under-15': 2, '15-30': 0, '30-60': 0, '60-plus': 0 });
  });

  itAppliesExactlyOnce(textSearchProjection, {
    ctx,
    // The first listing is applied inside the transaction before the second one fails.
    appendBatch: (key) =>
      list(
        listed(`vase-${key}`, 'Glass Vase', `decor-${key}`, 2_500, 'Blown'),
        listed(`bowl-${key}`, 'Glass Bowl', `decor-${key}`, 2_500, 'Blown'),
      ),
    afterRecovery: async (last, key) => {
      const glass = await search({ text: 'glass', category: `decor-${key}` });
      expect(ids(glass)).toEqual([`bowl-${key}`, `vase-${key}`]);
      expect(glass.checkpoint).toBe(encodeToken(last));
    },
  });
});
