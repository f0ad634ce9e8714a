import { defineSearchProjection } from '../runtime/elasticsearch/projection';
import { productsIndex } from './index-definition';

/** Product events carry the price and stock after the change, so each reducer sets values, never adds. */
export function productSearchProjection(prefix: string) {
  return defineSearchProjection({
    name: 'product_search',
    index: productsIndex(prefix),
    documentId: (event) => event.data.productId,
    reducers: {
      ProductListed: (_, { data }) => ({
        productId: data.productId,
        name: data.name,
        description: data.description,
        category: data.category,
        priceCents: data.priceCents,
        stock: data.stock,
        listedAt: data.listedAt,
      }),
      ProductRepriced: (doc, { data }) => doc && { ...doc, priceCents: data.priceCents },
      ProductRestocked: (doc, { data }) => doc && { ...doc, stock: data.stock },
      StockReserved: (doc, { data }) => doc && { ...doc, stock: data.stock },
      StockReleased: (doc, { data }) => doc && { ...doc, stock: data.stock },
    },
  });
}
