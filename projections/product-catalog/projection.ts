import { eq } from 'drizzle-orm';
import { defineProjection } from '../runtime/projection';
import { catalogProducts } from './schema';

/** Every stock event carries the stock level after it, so the handlers set values instead of adding deltas. */
export const productCatalogProjection = defineProjection({
  name: 'product_catalog',
  tables: [catalogProducts],
  handlers: {
    ProductListed: async (tx, { data }) => {
      await tx
        .insert(catalogProducts)
        .values({
          productId: data.productId,
          name: data.name,
          description: data.description,
          category: data.category,
          priceCents: data.priceCents,
          stock: data.stock,
          listedAt: new Date(data.listedAt),
        })
        .onConflictDoNothing();
    },
    ProductRepriced: async (tx, { data }) => {
      await tx
        .update(catalogProducts)
        .set({ priceCents: data.priceCents })
        .where(eq(catalogProducts.productId, data.productId));
    },
    ProductRestocked: async (tx, { data }) => {
      await tx.update(catalogProducts).set({ stock: data.stock }).where(eq(catalogProducts.productId, data.productId));
    },
    StockReserved: async (tx, { data }) => {
      await tx.update(catalogProducts).set({ stock: data.stock }).where(eq(catalogProducts.productId, data.productId));
    },
    StockReleased: async (tx, { data }) => {
      await tx.update(catalogProducts).set({ stock: data.stock }).where(eq(catalogProducts.productId, data.productId));
    },
  },
});
