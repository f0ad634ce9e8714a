import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { catalogProducts } from './schema';

/** Every stock event carries the stock level after it, so the handlers set values instead of adding deltas. */
export const productCatalogProjection = defineBatchProjection({
  name: 'product_catalog',
  tables: [catalogProducts],
  handles: ['ProductListed', 'ProductRepriced', 'ProductRestocked', 'StockReserved', 'StockReleased'],
  async applyBatch(tx, events) {
    const products = new RowSet(catalogProducts, (row) => row.productId);
    await products.load(tx, catalogProducts.productId, events.map((event) => (event.data as { productId: string }).productId));
    for (const { type, data } of events) {
      switch (type) {
        case 'ProductListed':
          products.insert({
            productId: data.productId,
            name: data.name,
            description: data.description,
            category: data.category,
            priceCents: data.priceCents,
            stock: data.stock,
            listedAt: new Date(data.listedAt),
          });
          break;
        case 'ProductRepriced':
          products.update(data.productId, { priceCents: data.priceCents });
          break;
        case 'ProductRestocked':
        case 'StockReserved':
        case 'StockReleased':
          products.update(data.productId, { stock: data.stock });
          break;
      }
    }
    await products.write(tx);
  },
});
