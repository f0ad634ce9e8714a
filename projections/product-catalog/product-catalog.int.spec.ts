import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, encodeToken, type EventStore } from '@/db/event-store';
import { createTestDatabase, type TestDatabase } from '@/db/testing';
import { productStreamId, type ProductListed } from '@/server/domain';
import { catchUp } from '../runtime/runner';
import { readCheckpoint } from '../runtime/checkpoints';
import { appendShopEvents, dumpProjection, failingAt, metadata } from '../testing';
import { productCatalogProjection } from './projection';
import { catalogPageSize, getCatalogProduct, listCatalog } from './query';

// Small batches, so a catch-up spans several transactions and checkpoints.
const options = { batchSize: 2 };

let db: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = createEventStore(db.sql);
});
afterAll(() => db.drop());

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string, name: string, category: string, priceCents = 1_500, stock = 10): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name, description: `${name}, made to last`, category, priceCents, stock, listedAt },
});

const list = (...products: ProductListed[]) =>
  appendShopEvents(
    store,
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

    await catchUp(db.orm, store, productCatalogProjection, options);

    const all = await listCatalog(db.orm, {});
    expect(all.checkpoint).toBe(encodeToken(last));
    expect(all.total).toBe(catalogPageSize + 3);
    expect(all.categories).toEqual([
      { name: 'kitchen', count: catalogPageSize + 1 },
      { name: 'lighting', count: 2 },
    ]);
    expect(all.products[0]?.name).toBe('Arc lamp');

    const lighting = await listCatalog(db.orm, { category: 'lighting' });
    expect(lighting.total).toBe(2);
    expect(lighting.products.map((p) => p.productId)).toEqual(['lamp-2', 'lamp-1']);
    // The filter narrows the page, never the counts the filter's labels show.
    expect(lighting.categories).toEqual(all.categories);

    const kitchenPage1 = await listCatalog(db.orm, { category: 'kitchen', page: 1 });
    const kitchenPage2 = await listCatalog(db.orm, { category: 'kitchen', page: 2 });
    expect(kitchenPage1.products).toHaveLength(catalogPageSize);
    expect(kitchenPage1.products[0]?.name).toBe('Mug 00');
    expect(kitchenPage2.products.map((p) => p.name)).toEqual([`Mug ${catalogPageSize}`]);
    expect(kitchenPage2.total).toBe(catalogPageSize + 1);

    expect(await listCatalog(db.orm, { category: 'garden' })).toMatchObject({ total: 0, products: [] });
  });

  it('follows price and stock through reprices, reservations, releases and restocks', async () => {
    await list(listed('kettle', 'Kettle', 'kitchen', 4_900, 5));
    const stream = productStreamId('kettle');
    await appendShopEvents(store, {
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
    await catchUp(db.orm, store, productCatalogProjection, options);
    expect((await getCatalogProduct(db.orm, 'kettle')).product).toMatchObject({ priceCents: 3_900, stock: 0 });

    const last = await appendShopEvents(store, {
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
    await catchUp(db.orm, store, productCatalogProjection, options);

    const { checkpoint, product } = await getCatalogProduct(db.orm, 'kettle');
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
    expect(await getCatalogProduct(db.orm, 'unknown')).toEqual({ checkpoint, product: null });
  });

  it('applies nothing twice: a second catch-up reads nothing and changes no row', async () => {
    const before = await dumpProjection(db.orm, productCatalogProjection);
    const checkpoint = await readCheckpoint(db.orm, productCatalogProjection.name);

    expect(await catchUp(db.orm, store, productCatalogProjection, options)).toBe(0);
    expect(await dumpProjection(db.orm, productCatalogProjection)).toEqual(before);
    expect(await readCheckpoint(db.orm, productCatalogProjection.name)).toEqual(checkpoint);
  });

  it('rolls back a batch that fails part-way: neither its rows nor the checkpoint move', async () => {
    const before = await dumpProjection(db.orm, productCatalogProjection);
    const checkpoint = await readCheckpoint(db.orm, productCatalogProjection.name);
    // The first event of the batch is applied inside the transaction before the second one fails.
    const last = await list(listed('vase', 'Vase', 'decor'), listed('broken', 'Broken', 'decor'));
    const failing = failingAt(productCatalogProjection, last);

    await expect(catchUp(db.orm, store, failing, options)).rejects.toThrow(/injected failure/);
    expect(await dumpProjection(db.orm, productCatalogProjection)).toEqual(before);
    expect(await readCheckpoint(db.orm, productCatalogProjection.name)).toEqual(checkpoint);

    // Once the fault is gone the same batch applies in full, once.
    expect(await catchUp(db.orm, store, productCatalogProjection, options)).toBe(2);
    const decor = await listCatalog(db.orm, { category: 'decor' });
    expect(decor.products.map((p) => p.productId)).toEqual(['broken', 'vase']);
    expect(decor.checkpoint).toBe(encodeToken(last));
  });
});
