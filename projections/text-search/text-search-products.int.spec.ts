import { describe, expect, it } from 'vitest';
import { encodeToken, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { searchPageSize, type ProductSearchInput } from '../product-search/query';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, metadata, smallBatches } from '../testing';
import { textSearchProjection } from './projection';
import { searchProductsByText } from './query';

/**
 * The scenarios of the Elasticsearch product search spec, where PostgreSQL full text (no typos) can follow them,
 * over a catalogue listed once, before the tests, and changed by none of them: totals and facet counts span
 * every product, so the tests that change products are in text-search-products-updates.int.spec.ts, on a
 * database of their own.
 */
const search = (input: ProductSearchInput) => searchProductsByText(ctx.db.orm, input);
const ids = (result: { products: { productId: string }[] }) => result.products.map((product) => product.productId);

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (id: string, name: string, category: string, priceCents: number, description: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId: id, name, description, category, priceCents, stock: 10, listedAt },
});

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

let catalogueEnd: LogPosition;
const ctx = useShopDatabase(async (context) => {
  catalogueEnd = await appendShopEvents(
    context.store,
    catalog.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
    metadata('seed-search', 'system:seed'),
  );
  await catchUp(context.source, textSearchProjection, smallBatches);
});

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
    const all = await search({});
    expect(all).toMatchObject({ checkpoint: encodeToken(catalogueEnd), available: true, total: 12, pageSize: searchPageSize });
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
});
