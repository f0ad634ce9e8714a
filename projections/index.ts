import type { Client } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import { cartsProjection } from './carts/projection';
import { customerOrderHistoryProjection } from './customer-order-history/projection';
import { customersProjection } from './customers/projection';
import { dailySalesProjection } from './daily-sales/projection';
import { fulfillmentProcessesProjection } from './fulfillment-processes/projection';
import { orderDetailProjection } from './order-detail/projection';
import { orderProgressProjection } from './order-progress/projection';
import { orderSearchProjection } from './order-search/projection';
import { searchOrders, type OrderSearchInput, type OrderSearchResult } from './order-search/query';
import { productCatalogProjection } from './product-catalog/projection';
import { productSearchProjection } from './product-search/projection';
import { searchProducts, type ProductSearchInput, type ProductSearchResult } from './product-search/query';
import type { Consumer } from '@/db/consumers';
import { searchConsumer } from './runtime/elasticsearch/indexing';
import type { Projection } from './runtime/projection';
import { textSearchProjection } from './text-search/projection';
import { searchOrdersByText, searchProductsByText } from './text-search/query';

/** Every PostgreSQL read model, whatever serves search. */
export const projections: readonly Projection[] = [
  productCatalogProjection,
  customersProjection,
  cartsProjection,
  orderDetailProjection,
  orderProgressProjection,
  customerOrderHistoryProjection,
  dailySalesProjection,
  fulfillmentProcessesProjection,
];

/** The Elasticsearch read models, their indices' aliases prefixed (one cluster can serve several shops). */
export function searchProjections(prefix: string) {
  return { products: productSearchProjection(prefix), orders: orderSearchProjection(prefix) };
}

/**
 * Search, behind one interface: the Elasticsearch read models when a cluster is configured, otherwise the
 * PostgreSQL full-text read model. Pages and routers cannot tell them apart, except by `kind`.
 */
export type SearchBackend = {
  readonly kind: 'elasticsearch' | 'postgres';
  /** The read models that feed it, as consumers of the log for the worker to run. */
  readonly consumers: readonly Consumer[];
  products(db: Orm, input: ProductSearchInput): Promise<ProductSearchResult>;
  orders(db: Orm, input: OrderSearchInput): Promise<OrderSearchResult>;
};

export function elasticsearchBackend(client: Client, prefix: string): SearchBackend {
  const search = searchProjections(prefix);
  return {
    kind: 'elasticsearch',
    consumers: [searchConsumer(client, search.products), searchConsumer(client, search.orders)],
    products: (db, input) => searchProducts(db, client, search.products, input),
    orders: (db, input) => searchOrders(db, client, search.orders, input),
  };
}

export const postgresSearchBackend: SearchBackend = {
  kind: 'postgres',
  consumers: [textSearchProjection],
  products: searchProductsByText,
  orders: searchOrdersByText,
};
