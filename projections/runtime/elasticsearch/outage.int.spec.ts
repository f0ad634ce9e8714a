import { describe, expect, it } from 'vitest';
import { catchUp, consumerBatches } from '@/db/consumers';
import { encodeToken, readCheckpoint, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { productStreamId, type ProductListed } from '@/domain';
import { orderSearchProjection } from '../../order-search/projection';
import { searchOrders } from '../../order-search/query';
import { productCatalogProjection } from '../../product-catalog/projection';
import { listCatalog } from '../../product-catalog/query';
import { productSearchProjection } from '../../product-search/projection';
import { searchProducts } from '../../product-search/query';
import { appendShopEvents, smallBatches } from '../../testing';
import { SearchUnavailableError } from './failures';
import { searchConsumer } from './indexing';
import { projectSearch, smallSearchBatches, storedDocument, testIndexPrefix, useLocalElasticsearchNode, useSearchClientOn } from './testing';

/**
 * Stops an Elasticsearch node for a while: one of this file's own, so neither the node the other specs use nor
 * another run of the suite on this machine sees the outage.
 */
const node = await useLocalElasticsearchNode();
const ctx = useShopDatabase();
const prefix = testIndexPrefix();
const products = productSearchProjection(prefix);
const orders = orderSearchProjection(prefix);
const client = useSearchClientOn(node.url, products.index, orders.index);

const listedAt = '2025-03-01T09:00:00.000Z';
const listed = (productId: string, name: string): ProductListed => ({
  type: 'ProductListed',
  data: { productId, name, description: 'Plain', category: 'misc', priceCents: 1_000, stock: 5, listedAt },
});
const list = (...events: ProductListed[]) =>
  appendShopEvents(
    ctx.store,
    events.map((event) => ({ streamId: productStreamId(event.data.productId), events: [event] })),
  );

describe('an Elasticsearch outage', () => {
  // Stopping and starting the node takes a while: stop waits for a clean shutdown, start for a healthy node.
  const timeout = 300_000;
  it('holds the search checkpoint, answers "unavailable" and catches up once it is back', { timeout }, async () => {
    await list(listed('kettle', 'Kettle'), listed('toaster', 'Toaster'));
    await projectSearch(ctx, client, products);
    const before = await readCheckpoint(ctx.db.orm, products.name);

    let last: LogPosition = before;
    await node.stop();
    try {
      await list(listed('lamp', 'Desk Lamp'));
      last = await appendShopEvents(ctx.store, {
        streamId: productStreamId('kettle'),
        events: [
          {
            type: 'ProductRepriced',
            data: { productId: 'kettle', previousPriceCents: 1_000, priceCents: 800, repricedAt: listedAt },
          },
        ],
      });

      const failure = await consumerBatches(ctx.source, searchConsumer(client, products), smallSearchBatches).next().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SearchUnavailableError);
      expect(failure).toMatchObject({ failure: { kind: 'unreachable' }, message: expect.stringContaining('Elasticsearch cannot be reached') });
      expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(before);

      expect(await searchProducts(ctx.db.orm, client, products, { text: 'kettle' })).toEqual({
        checkpoint: encodeToken(before),
        available: false,
        total: 0,
        pageSize: expect.any(Number),
        products: [],
        categories: [],
        priceBands: [],
      });
      expect(await searchOrders(ctx.db.orm, client, orders, { customerId: 'c-1' })).toMatchObject({ available: false });

      // The PostgreSQL read models do not depend on Elasticsearch: they keep up through the outage.
      expect(await catchUp(ctx.source, productCatalogProjection, smallBatches)).toBe(4);
      const catalogue = await listCatalog(ctx.db.orm, {});
      expect(catalogue.checkpoint).toBe(encodeToken(last));
      expect(catalogue.products.map((product) => product.productId).sort()).toEqual(['kettle', 'lamp', 'toaster']);
    } finally {
      await node.start();
    }

    // The same client the outage broke serves again, as the worker's long-lived one must.
    expect(await projectSearch(ctx, client, products)).toBe(2);
    expect(await readCheckpoint(ctx.db.orm, products.name)).toEqual(last);
    const found = await searchProducts(ctx.db.orm, client, products, {});
    expect(found).toMatchObject({ checkpoint: encodeToken(last), available: true, total: 3 });
    const kettle = await storedDocument(client, products.index, 'kettle');
    expect(kettle).toMatchObject({ version: 2, doc: { priceCents: 800 } });
  });
});
