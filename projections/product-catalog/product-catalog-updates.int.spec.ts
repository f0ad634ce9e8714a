import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { productCatalogProjection } from './projection';
import { getCatalogProduct, listCatalog } from './query';

/**
 * The tests that change the catalogue, each on products of its own; the listing's totals and counts are
 * checked in product-catalog.int.spec.ts, on a catalogue no test changes.
 */
const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, productCatalogProjection, smallBatches);

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

describe('product catalog: updates', () => {
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
    appendBatch: (key) =>
      list(listed(`vase-${key}`, 'Vase', `decor-${key}`), listed(`broken-${key}`, 'Broken', `decor-${key}`)),
    afterRecovery: async (last, key) => {
      const decor = await listCatalog(ctx.db.orm, { category: `decor-${key}` });
      expect(decor.products.map((p) => p.productId)).toEqual([`broken-${key}`, `vase-${key}`]);
      expect(decor.checkpoint).toBe(encodeToken(last));
    },
  });
});
