import { describe, expect, it } from 'vitest';
import { encodeToken, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { projectSearch, testIndexPrefix, useSearchClient } from '../runtime/elasticsearch/testing';
import { appendShopEvents, metadata } from '../testing';
import type { ProductDocument } from './index-definition';
import { productSearchProjection } from './projection';
import { searchPageSize, searchProducts, type ProductSearchInput } from './query';

/**
 * Product search over a catalogue listed and indexed once, before the tests, and changed by none of them:
 * totals and facet counts span every product, so the tests that change products are in
 * product-search-updates.int.spec.ts, on a database and index of their own.
 */
const projection = productSearchProjection(testIndexPrefix());
const client = useSearchClient(projection.index);
const search = (input: ProductSearchInput) => searchProducts(ctx.db.orm, client, projection, input);
const ids = (result: { products: ProductDocument[] }) => result.products.map((product) => product.productId);

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
  listed('teapot', 'Cast Iron Teapot', 'kitchen', 4_200, 'Brews four cups'),
  listed('tea-infuser', 'Tea Infuser', 'kitchen', 800, 'Steel mesh basket'),
  listed('desk-lamp', 'Desk Lamp', 'lighting', 3_500, 'Adjustable arm, warm light'),
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
  await projectSearch(context, client, projection);
});

const allCategories = [
  { name: 'garden', count: 3 },
  { name: 'kitchen', count: 6 },
  { name: 'lighting', count: 3 },
];
const bandCounts = (result: { priceBands: { key: string; count: number }[] }) =>
  Object.fromEntries(result.priceBands.map((band) => [band.key, band.count]));

describe('product search', () => {
  it('indexes the catalogue into a versioned index behind its alias, with the explicit mapping', async () => {
    const physical = `${projection.index.alias}_v1`;
    const indices = await client.indices.get({ index: projection.index.alias });
    expect(Object.keys(indices)).toEqual([physical]);
    expect(indices[physical]?.aliases).toEqual({ [projection.index.alias]: {} });
    // Exactly the mapping we defined: nothing added dynamically, nothing dropped.
    expect(indices[physical]?.mappings).toEqual(projection.index.mappings);
    expect(indices[physical]?.mappings).toMatchObject({
      dynamic: 'strict',
      properties: { category: { type: 'keyword' }, name: { type: 'text' }, priceCents: { type: 'integer' } },
    });

    const all = await search({});
    expect(all).toMatchObject({ checkpoint: encodeToken(catalogueEnd), available: true, total: 12, pageSize: searchPageSize });
    expect(all.categories).toEqual(allCategories);
    expect(bandCounts(all)).toEqual({ 'under-15': 3, '15-30': 5, '30-60': 3, '60-plus': 1 });
  });

  it('ranks name matches above description matches, forgives typos and matches prefixes', async () => {
    const mug = await search({ text: 'mug' });
    expect(mug.total).toBe(4);
    expect(ids(mug).slice(0, 2).sort()).toEqual(['ceramic-mug', 'travel-mug']);
    expect(ids(mug).slice(2).sort()).toEqual(['espresso-cup', 'planter']);

    expect(ids(await search({ text: 'grindr' }))).toEqual(['coffee-grinder']);
    expect(ids(await search({ text: 'tea' })).sort()).toEqual(['tea-infuser', 'teapot']);
    expect(await search({ text: 'zzqxvw' })).toMatchObject({ available: true, total: 0, products: [], categories: [] });
  });

  it('counts each facet under every filter but its own', async () => {
    const kitchen = await search({ category: 'kitchen' });
    expect(kitchen.total).toBe(6);
    expect(kitchen.categories).toEqual(allCategories);
    expect(bandCounts(kitchen)).toEqual({ 'under-15': 3, '15-30': 1, '30-60': 2, '60-plus': 0 });

    const midPriced = await search({ priceBand: '15-30' });
    expect(ids(midPriced).sort()).toEqual(['lantern', 'planter', 'pruner', 'travel-mug', 'watering-can']);
    expect(midPriced.categories).toEqual([
      { name: 'garden', count: 3 },
      { name: 'kitchen', count: 1 },
      { name: 'lighting', count: 1 },
    ]);
    expect(bandCounts(midPriced)).toEqual({ 'under-15': 3, '15-30': 5, '30-60': 3, '60-plus': 1 });

    const both = await search({ category: 'kitchen', priceBand: '15-30' });
    expect(ids(both)).toEqual(['travel-mug']);
    expect(both.categories).toEqual(midPriced.categories);
    expect(bandCounts(both)).toEqual(bandCounts(kitchen));
  });

  it('sorts by price either way, and by name without a query', async () => {
    const cheapest = ids(await search({ sort: 'price_asc' }));
    expect(cheapest.slice(0, 3)).toEqual(['tea-infuser', 'espresso-cup', 'ceramic-mug']);
    const dearest = ids(await search({ sort: 'price_desc' }));
    expect(dearest.slice(0, 3)).toEqual(['arc-lamp', 'coffee-grinder', 'teapot']);
    expect(ids(await search({ category: 'lighting' }))).toEqual(['arc-lamp', 'desk-lamp', 'lantern']);
  });
});
