import { describe, expect, it } from 'vitest';
import { encodeToken, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, metadata, smallBatches } from '../testing';
import { productCatalogProjection } from './projection';
import { catalogPageSize, listCatalog } from './query';

/**
 * The listing over a catalogue listed once, before the tests, and changed by none of them: totals and counts
 * span every product, so the tests that change products are in product-catalog-updates.int.spec.ts, on a
 * database of their own.
 */
const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string, name: string, category: string, priceCents = 1_500, stock = 10): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name, description: `${name}, made to last`, category, priceCents, stock, listedAt },
});

let catalogueEnd: LogPosition;
const ctx = useShopDatabase(async (context) => {
  const list = (...products: ProductListed[]) =>
    appendShopEvents(
      context.store,
      products.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
      metadata('seed-catalog', 'system:seed'),
    );
  // One more mug than fits a page, so the second page holds exactly one.
  await list(
    ...Array.from({ length: catalogPageSize + 1 }, (_, i) =>
      listed(`mug-${i}`, `Mug ${String(i).padStart(2, '0')}`, 'kitchen'),
    ),
  );
  catalogueEnd = await list(listed('lamp-1', 'Desk lamp', 'lighting'), listed('lamp-2', 'Arc lamp', 'lighting'));
  await catchUp(context.source, productCatalogProjection, smallBatches);
});

describe('product catalog', () => {
  it('lists products by category with per-category counts, one page at a time', async () => {
    const all = await listCatalog(ctx.db.orm, {});
    expect(all.checkpoint).toBe(encodeToken(catalogueEnd));
    expect(all.total).toBe(catalogPageSize + 3);
    expect(all.categories).toEqual([
      { name: 'kitchen', count: catalogPageSize + 1 },
      { name: 'lighting', count: 2 },
    ]);
    expect(all.products[0]?.name).toBe('Arc lamp');

    const lighting = await listCatalog(ctx.db.orm, { category: 'lighting' });
    expect(lighting.total).toBe(2);
    expect(lighting.products.map((p) => p.productId)).toEqual(['lamp-2', 'lamp-1']);
    // The filter narrows the page, never the counts the filter's labels show.
    expect(lighting.categories).toEqual(all.categories);

    const kitchenPage1 = await listCatalog(ctx.db.orm, { category: 'kitchen', page: 1 });
    const kitchenPage2 = await listCatalog(ctx.db.orm, { category: 'kitchen', page: 2 });
    expect(kitchenPage1.products).toHaveLength(catalogPageSize);
    expect(kitchenPage1.products[0]?.name).toBe('Mug 00');
    expect(kitchenPage2.products.map((p) => p.name)).toEqual([`Mug ${catalogPageSize}`]);
    expect(kitchenPage2.total).toBe(catalogPageSize + 1);

    expect(await listCatalog(ctx.db.orm, { category: 'garden' })).toMatchObject({ total: 0, products: [] });
  });
});
