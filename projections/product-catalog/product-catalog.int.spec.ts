import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { productStreamId, type ProductListed } from '@/domain';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { productCatalogProjection } from './projection';
import { catalogPageSize, getCatalogProduct, listCatalog } from './query';

const ctx = useTestDatabase();
const project = () => catchUp(ctx.db.orm, ctx.store, productCatalogProjection, smallBatches);

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string, name: string, category: string, priceCents = 1_500, stock = 10): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name, description: `${name}, made to last`, category, priceCents, stock, listedAt },
});

const list = (...products: ProductListed[]) =>
  appendShopEvents(
    ctx.store,
    products.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
    metadata('seed-catalog', 'system:seed'),
  );

describe('product catalog', () => {
  it('lists products by category with per-category counts, one page at a time', async () => {
    // One more mug than fits a page, so the second page holds exactly one.
    const mugs = Array.from({ length: catalogPageSize + 1 }, (_, i) =>
      listed(`mug-${i}`, `Mug ${String(i).padStart(2, '0')}`, 'kitchen'),
    );
    await list(...mugs);
    const last = await list(listed('lamp-1', 'Desk lamp', 'lighting'), listed('lamp-2', 'Arc lamp', 'lighting'));

    await project();

    const all = await listCatalog(ctx.db.orm, {});
    expect(all.checkpoint).toBe(encodeToken(last));
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

  it('follows price and stock through reprices, reservations, releases and restocks', async () => {
    await list(listed('kettle', 'Kettle', 'kitchen', 4_900, 5));
    const stream = productStreamId('kettle');
    await appendShopEvents(ctx.store, {
      streamId: stream,
      events: [
        {
          type: 'ProductRepriced',
          data: {
            productId: 'kettle',
            previousPriceCents: 4_900,
            priceCents: 3_900,
            repricedAt: '2025-03-02T09:00:00.000Z',
          },
        },
        {
          type: 'StockReserved',
          data: { productId: 'kettle', orderId: 'o-1', quantity: 2, stock: 3, reservedAt: '2025-03-02T10:00:00.000Z' },
        },
        {
          type: 'StockReserved',
          data: { productId: 'kettle', orderId: 'o-2', quantity: 3, stock: 0, reservedAt: '2025-03-02T11:00:00.000Z' },
        },
      ],
    });
    await project();
    expect((await getCatalogProduct(ctx.db.orm, 'kettle')).product).toMatchObject({ priceCents: 3_900, stock: 0 });

    const last = await appendShopEvents(ctx.store, {
      streamId: stream,
      events: [
        {
          type: 'StockReleased',
          data: { productId: 'kettle', orderId: 'o-2', quantity: 3, stock: 3, releasedAt: '2025-03-03T09:00:00.000Z' },
        },
        {
          type: 'ProductRestocked',
          data: { productId: 'kettle', quantity: 20, stock: 23, restockedAt: '2025-03-03T10:00:00.000Z' },
        },
      ],
    });
    await project();

    const { checkpoint, product } = await getCatalogProduct(ctx.db.orm, 'kettle');
    expect(checkpoint).toBe(encodeToken(last));
    expect(product).toEqual({
      productId: 'kettle',
      name: 'Kettle',
      description: 'Kettle, made to last',
      category: 'kitchen',
      priceCents: 3_900,
      stock: 23,
      listedAt: new Date(listedAt),
    });
    expect(await getCatalogProduct(ctx.db.orm, 'unknown')).toEqual({ checkpoint, product: null });
  });

  itAppliesExactlyOnce(productCatalogProjection, {
    ctx,
    // The first event of the batch is applied inside the transaction before the second one fails.
    appendBatch: () => list(listed('vase', 'Vase', 'decor'), listed('broken', 'Broken', 'decor')),
    // Once the fault is gone the same batch applies in full, once.
    afterRollback: async (last) => {
      expect(await project()).toBe(2);
      const decor = await listCatalog(ctx.db.orm, { category: 'decor' });
      expect(decor.products.map((p) => p.productId)).toEqual(['broken', 'vase']);
      expect(decor.checkpoint).toBe(encodeToken(last));
    },
  });
});
