import { cartsProjection } from './carts/projection';
import { customerOrderHistoryProjection } from './customer-order-history/projection';
import { customersProjection } from './customers/projection';
import { dailySalesProjection } from './daily-sales/projection';
import { orderDetailProjection } from './order-detail/projection';
import { productCatalogProjection } from './product-catalog/projection';
import { orderSearchProjection } from './order-search/projection';
import { productSearchProjection } from './product-search/projection';
import type { Projection } from './runtime/projection';

/** Every PostgreSQL read model the projector keeps up to date. */
export const projections: readonly Projection[] = [
  productCatalogProjection,
  customersProjection,
  cartsProjection,
  orderDetailProjection,
  customerOrderHistoryProjection,
  dailySalesProjection,
];

/** The Elasticsearch read models, their indices' aliases prefixed (one cluster can serve several shops). */
export function searchProjections(prefix: string) {
  return { products: productSearchProjection(prefix), orders: orderSearchProjection(prefix) };
}
