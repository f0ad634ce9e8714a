import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { productStreamId, type ProductEvent, type ProductListed } from '@/domain';
import { searchPageSize, type ProductSearchInput } from '../product-search/query';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { textSearchProjection } from './projection';
import { searchProductsByText } from './query';

/** The scenarios of the Elasticsearch product search spec, where PostgreSQL full text (no typos) can follow them. */
const ctx = useTestDatabase();
const project = () => catchUp(ctx.db.orm, ctx.store, textSearchProjection, smallBatches);
const search = (input: ProductSearchInput) => searchProductsByText(ctx.db.orm, input);
const ids = (result: { products: { productId: string }[] }) => result.products.map((product) => product.productId);

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (id: string, name: string, category: string, priceCents: number, description: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId: id, name, description, category, priceCents, stock: 10, listedAt },
});

const list = (...products: ProductListed[]) =>
  appendShopEvents(
    ctx.store,
    products.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
    metadata('seed-search', 'system:seed'),
  );

const catalog = [
  listed('ceramic-mug', 'Ceramic Mug', 'kitchen', 1_200, 'Stoneware, dishwasher safe'),
  listed('travel-mug', 'Travel Mug', 'kitchen', 2_400, 'Keeps coffee hot for hours'),
  listed('espresso-cup', 'Espresso Cup', 'kitchen', 900, 'Smaller than a mug, for one shot'),
  listed('coffee-grinder', 'Coffee Grinder', 'kitchen', 5_500, 'Burr mill for whole beans'),
  listed('teapot', 'Cast Iron Teapot', 'kitchen', 4_200, 'Walnut handle, brews four cups'),
  listed('tea-infuser', 'Tea Infuser', 'kitchen', 800, 'Steel mesh basket'),
  listed('desk-lamp', 'Desk Lamp', 'lighting', 3_500, 'Adjustable arm, walnut base'),
  listed('arc-lamp', 'Arc Lamp', 'lighting', 12_000, 'Floor standing, brass finish'),
  listed('lantern', 'Paper Lantern', 'lighting', 1_800, 'Soft diffused glow'),
  listed('watering-can', 'Watering Can', 'garden', 2_200, 'Holds five litres'),
  listed('pruner', 'Bypass Pruner', 'garden', 2_900, 'Hardened steel blades'),
  listed('planter', 'Herb Planter', 'garden', 1_600, 'Terracotta, about the size of a mug'),
];

const allCategories = [
  { name: 'garden', count: 3 },
  { name: 'kitchen', count: 6 },
  { name: 'lighting', count: 3 },
];
const allBands = { 'under-15': 3, '15-30': 5, '30-60': 3, '60-plus': 1 };
const bandCounts = (result: { priceBands: { key: string; count: number }[] }) =>
  Object.fromEntries(result.priceBands.map((band) => [band.key, band.count]));

describe('text search: products', () => {
  it('projects the catalogue and answers in the shape of the Elasticsearch read model', async () => {
    const last = await list(...catalog);
    await project();

    const all = await search({});
    expect(all).toMatchObject({ checkpoint: encodeToken(last), available: true, total: 12, pageSize: searchPageSize });
    expect(all.categories).toEqual(allCategories);
    expect(bandCounts(all)).toEqual(allBands);
    expect(all.priceBands[0]).toEqual({ key: 'under-15', label: 'Under $15', count: 3 });
    expect(all.products.find((product) => product.productId === 'ceramic-mug')).toEqual({
      productId: 'ceramic-mug',
      name: 'Ceramic Mug',
      description: 'Stoneware, dishwasher safe',
      category: 'kitchen',
      priceCents: 1_200,
      stock: 10,
      listedAt,
    });
  });

  it('ranks name matches above description matches, stems words and matches every word as a prefix', async () => {
    const mugs = await search({ text: 'mugs' });
    expect(mugs.total).toBe(4);
    // Equal ranks fall back to the name.
    expect(ids(mugs)).toEqual(['ceramic-mug', 'travel-mug', 'espresso-cup', 'planter']);

    expect(ids(await search({ text: 'Grinders' }))).toEqual(['coffee-grinder']);
    expect(ids(await search({ text: 'tea' })).sort()).toEqual(['tea-infuser', 'teapot']);
    expect(ids(await search({ text: 'walnut' }))).toEqual(['teapot', 'desk-lamp']);
    expect(ids(await search({ text: 'walnut tea' }))).toEqual(['teapot']);
    expect(ids(await search({ text: 'wal te' }))).toEqual(['teapot']);
    // tsquery's own syntax is only punctuation here, never an error.
    expect(ids(await search({ text: "walnut & (tea | !cast):* \\' <->" }))).toEqual(['teapot']);
    await expect(search({ text: '&|!():*' })).resolves.toMatchObject({ available: true });

    const none = await search({ text: 'zzqxvw' });
    expect(none).toMatchObject({ available: true, total: 0, products: [], categories: [] });
    expect(bandCounts(none)).toEqual({ 'under-15': 0, '15-30': 0, '30-60': 0, '60-plus': 0 });
  });

  it('matches a word the English dictionary drops as a stop word as a prefix too', async () => {
    // "in" is on the way to "Infuser", and "a" to "Arc Lamp": Elasticsearch's standard analyzer keeps both.
    expect(ids(await search({ text: 'in' }))).toEqual(['tea-infuser']);
    expect(ids(await search({ text: 'a', category: 'lighting' }))).toEqual(['arc-lamp', 'desk-lamp']);
  });

  it('counts each facet under every filter but its own', async () => {
    const kitchen = await search({ category: 'kitchen' });
    expect(kitchen.total).toBe(6);
    expect(kitchen.categories).toEqual(allCategories);
    expect(bandCounts(kitchen)).toEqual({ 'under-15': 3, '15-30': 1, '30-60': 2, '60-plus': 0 });

    const midPriced = await search({ priceBand: '15-30' });
    expect(ids(midPriced).sort()).toEqual(['lantern', 'planter', 'pruner', 'travel-mug', 'watering-can']);
    const midPricedCategories = [
      { name: 'garden', count: 3 },
      { name: 'kitchen', count: 1 },
      { name: 'lighting', count: 1 },
    ];
    expect(midPriced.categories).toEqual(midPricedCategories);
    expect(bandCounts(midPriced)).toEqual(allBands);

    const both = await search({ category: 'kitchen', priceBand: '15-30' });
    expect(ids(both)).toEqual(['travel-mug']);
    expect(both.categories).toEqual(midPricedCategories);
    expect(bandCounts(both)).toEqual(bandCounts(kitchen));

    // The text narrows every facet.
    const mugs = await search({ text: 'mug', category: 'garden' });
    expect(ids(mugs)).toEqual(['planter']);
    expect(mugs.categories).toEqual([
      { name: 'garden', count: 1 },
      { name: 'kitchen', count: 3 },
    ]);
    expect(bandCounts(mugs)).toEqual({ 'under-15': 0, '15-30': 1, '30-60': 0, '60-plus': 0 });
  });

  it('sorts by price either way, and by name without a query', async () => {
    const cheapest = ids(await search({ sort: 'price_asc' }));
    expect(cheapest.slice(0, 3)).toEqual(['tea-infuser', 'espresso-cup', 'ceramic-mug']);
    const dearest = ids(await search({ sort: 'price_desc' }));
    expect(dearest.slice(0, 3)).toEqual(['arc-lamp', 'coffee-grinder', 'teapot']);
    // A price sort overrides relevance.
    const dearestMugs = ids(await search({ text: 'mug', sort: 'price_desc' }));
    expect(dearestMugs).toEqual(['travel-mug', 'planter', 'ceramic-mug', 'espresso-cup']);
    expect(ids(await search({ category: 'lighting' }))).toEqual(['arc-lamp', 'desk-lamp', 'lantern']);
  });

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
    expect(ids(await search({ text: 'beeswax candle 07' }))).toEqual(['candle-7']);
  });

  it('follows reprices, restocks and reservations', async () => {
    const productId = 'travel-mug';
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

    const cheap = await search({ category: 'kitchen', priceBand: 'under-15' });
    expect(cheap.checkpoint).toBe(encodeToken(last));
    const travelMug = cheap.products.find((product) => product.productId === productId);
    expect(travelMug).toMatchObject({ priceCents: 1_400, stock: 11 });
    expect(bandCounts(await search({ category: 'kitchen' }))).toMatchObject({ 'under-15': 4, '15-30': 0 });
  });

  itAppliesExactlyOnce(textSearchProjection, {
    ctx,
    // The first listing is applied inside the transaction before the second one fails.
    appendBatch: () =>
      list(listed('vase', 'Glass Vase', 'decor', 2_500, 'Blown'), listed('bowl', 'Glass Bowl', 'decor', 2_500, 'Blown')),
    afterRollback: async (last) => {
      expect(await project()).toBe(2);
      const glass = await search({ text: 'glass' });
      expect(ids(glass)).toEqual(['bowl', 'vase']);
      expect(glass.checkpoint).toBe(encodeToken(last));
    },
  });
});
