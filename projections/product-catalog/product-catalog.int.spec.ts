import { describe, expect, it } from 'vitest';
import { encodeToken, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, metadata, smallBatches } from '../testing';
import { productCatalogProjection } from './projection';
import { catalogPageSize, catalogSorts, getProductAvailability, listCatalog } from './query';

/**
 * The listing over a catalogue listed once, before the tests, and changed by none of them: totals and counts
 * span every product, so the tests that change products are in product-catalog-updates.int.spec.ts, on a
 * database of their own.
 */
const listedAt = (minutes: number) => new Date(Date.UTC(2025, 2, 1, 9, minutes)).toISOString();
const listed = (productId: string, name: string, category: string, priceCents: number, minutes: number): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name, description: `${name}, made to last`, category, priceCents, stock: 10, listedAt: listedAt(minutes) },
});

// One more mug than fits a page, so the second page holds exactly one. Mugs get dearer and newer by number;
// two of them share a price, so the price orders must break the tie the same way every time.
const mugs = Array.from({ length: catalogPageSize + 1 }, (_, i) =>
  listed(`mug-${i}`, `Mug ${String(i).padStart(2, '0')}`, 'kitchen', i === 1 ? 1_000 : 1_000 + i * 10, i),
);
const lamps = [listed('lamp-1', 'Desk lamp', 'lighting', 4_900, 40), listed('lamp-2', 'Arc lamp', 'lighting', 2_900, 50)];

let catalogueEnd: LogPosition;
const ctx = useShopDatabase(async (context) => {
  const list = (...products: ProductListed[]) =>
    appendShopEvents(
      context.store,
      products.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
      metadata('seed-catalog', 'system:seed'),
    );
  await list(...mugs);
  catalogueEnd = await list(...lamps);
  await catchUp(context.source, productCatalogProjection, smallBatches);
});

describe('product catalog', () => {
  it('lists products by category with per-category counts, one page at a time', async () => {
    const all = await listCatalog(ctx.db.orm, {});
    expect(all.checkpoint).toBe(encodeToken(catalogueEnd));
    expect(all).toMatchObject({ total: catalogPageSize + 3, page: 1, pageCount: 2, sort: 'name' });
    expect(all.categories).toEqual([
      { name: 'kitchen', count: catalogPageSize + 1 },
      { name: 'lighting', count: 2 },
    ]);
    expect(all.products[0]?.name).toBe('Arc lamp');

    const lighting = await listCatalog(ctx.db.orm, { category: 'lighting' });
    expect(lighting).toMatchObject({ total: 2, pageCount: 1 });
    expect(lighting.products.map((p) => p.productId)).toEqual(['lamp-2', 'lamp-1']);
    // The filter narrows the page, never the counts the filter's labels show.
    expect(lighting.categories).toEqual(all.categories);

    const kitchenPage1 = await listCatalog(ctx.db.orm, { category: 'kitchen', page: 1 });
    const kitchenPage2 = await listCatalog(ctx.db.orm, { category: 'kitchen', page: 2 });
    expect(kitchenPage1.products).toHaveLength(catalogPageSize);
    expect(kitchenPage1.products[0]?.name).toBe('Mug 00');
    expect(kitchenPage2.products.map((p) => p.name)).toEqual([`Mug ${catalogPageSize}`]);
    expect(kitchenPage2).toMatchObject({ total: catalogPageSize + 1, page: 2, pageCount: 2 });

    expect(await listCatalog(ctx.db.orm, { category: 'garden' })).toMatchObject({ total: 0, pageCount: 1, products: [] });
  });

  it('sorts by price either way and by newest, ties broken by name', async () => {
    const firstNames = async (sort: (typeof catalogSorts)[number]) =>
      (await listCatalog(ctx.db.orm, { sort })).products.slice(0, 3).map((p) => p.name);
    // Mug 00 and Mug 01 share the lowest price: the name decides, in both price orders.
    expect(await firstNames('price_asc')).toEqual(['Mug 00', 'Mug 01', 'Mug 02']);
    expect(await firstNames('price_desc')).toEqual(['Desk lamp', 'Arc lamp', `Mug ${catalogPageSize}`]);
    expect(await firstNames('newest')).toEqual(['Arc lamp', 'Desk lamp', `Mug ${catalogPageSize}`]);

    const dearestLast = await listCatalog(ctx.db.orm, { sort: 'price_asc', page: 2 });
    expect(dearestLast.products.map((p) => p.name)).toEqual([`Mug ${catalogPageSize}`, 'Arc lamp', 'Desk lamp']);
    // Descending by price, the tie still goes by name: Mug 00 before Mug 01, so Mug 01 is last.
    const cheapestLast = await listCatalog(ctx.db.orm, { category: 'kitchen', sort: 'price_desc', page: 2 });
    expect(cheapestLast.products.map((p) => p.name)).toEqual(['Mug 01']);
  });

  it('pages through every product exactly once in every order', async () => {
    for (const sort of catalogSorts) {
      const pages = await Promise.all([1, 2].map((page) => listCatalog(ctx.db.orm, { sort, page })));
      const ids = pages.flatMap((page) => page.products.map((p) => p.productId));
      expect(ids, sort).toHaveLength(catalogPageSize + 3);
      expect(new Set(ids).size, sort).toBe(catalogPageSize + 3);
      // A page past the last is empty, and says how many pages there are.
      expect(await listCatalog(ctx.db.orm, { sort, page: 3 }), sort).toMatchObject({ products: [], page: 3, pageCount: 2 });
    }
  });

  it("tells a cart its products' category and stock, and leaves out what it does not know", async () => {
    const availability = await getProductAvailability(ctx.db.orm, ['lamp-1', 'mug-3', 'not-listed']);
    expect(Object.fromEntries(availability)).toEqual({
      'lamp-1': { category: 'lighting', stock: 10 },
      'mug-3': { category: 'kitchen', stock: 10 },
    });
    expect((await getProductAvailability(ctx.db.orm, [])).size).toBe(0);
  });
});
