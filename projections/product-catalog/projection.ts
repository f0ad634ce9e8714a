import { productEventTypes, type ProductEventType } from '@/domain';
import { defineBatchProjection, type ShopStoredEvent } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { catalogProducts } from './schema';

type ProductRow = typeof catalogProducts.$inferInsert;

/** Where a product event lands: the catalog's rows, or the full-text stand-in's, which share their columns. */
export type ProductRows = {
  insert(row: ProductRow): void;
  update(productId: string, changes: Partial<ProductRow>): void;
};

const productTypes: ReadonlySet<string> = new Set(productEventTypes);

/** Narrows an event of a read model that handles product events among others. */
export function isProductEvent<E extends { type: string }>(event: E): event is Extract<E, { type: ProductEventType }> {
  return productTypes.has(event.type);
}

/**
 * Folds one event into a product row. Every stock event carries the stock level after it, so the handlers
 * set values instead of adding deltas.
 */
export function applyProductEvent(products: ProductRows, { type, data }: ShopStoredEvent<ProductEventType>): void {
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

export const productCatalogProjection = defineBatchProjection({
  name: 'product_catalog',
  tables: [catalogProducts],
  handles: productEventTypes,
  async applyBatch(tx, events) {
    const products = new RowSet(catalogProducts, (row) => row.productId);
    await products.load(tx, catalogProducts.productId, events.map((event) => event.data.productId));
    for (const event of events) applyProductEvent(products, event);
    await products.write(tx);
  },
});
