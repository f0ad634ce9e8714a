import type { Client } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import type { EventStore } from '@/db/event-store';
import { cartsProjection } from './carts/projection';
import { customerOrderHistoryProjection } from './customer-order-history/projection';
import { customersProjection } from './customers/projection';
import { dailySalesProjection } from './daily-sales/projection';
import { fulfillmentProcessesProjection } from './fulfillment-processes/projection';
import { orderDetailProjection } from './order-detail/projection';
import { orderProgressProjection } from './order-progress/projection';
import { orderSearchProjection } from './order-search/projection';
import { searchAllOrders, searchOrders, type AllOrdersSearchInput, type OrderSearchInput, type OrderSearchResult } from './order-search/query';
import { productCatalogProjection } from './product-catalog/projection';
import { productSearchProjection } from './product-search/projection';
import { searchProducts, type ProductSearchInput, type ProductSearchResult } from './product-search/query';
import type { Consumer } from '@/db/consumers';
import type { SearchFailure, SearchFailureListener } from './runtime/elasticsearch/failures';
import type { SearchProjection } from './runtime/elasticsearch/projection';
import { degradedAnswerLog } from './runtime/elasticsearch/health';
import { searchConsumer } from './runtime/elasticsearch/indexing';
import { reindexDocument, type RedeliveryOutcome } from './runtime/elasticsearch/reindex';
import type { Projection } from './runtime/projection';

export type { RedeliveryOutcome } from './runtime/elasticsearch/reindex';
import { textSearchProjection } from './text-search/projection';
import { readSearchStatus, type SearchStatus } from './status';
import { searchAllOrdersByText, searchOrdersByText, searchProductsByText } from './text-search/query';

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

/**
 * The PostgreSQL read models a shop runs with this kind of search: those a rebuild beside the live tables
 * (./runtime/rebuild/) can rebuild. Text search is one of them only when it serves search.
 */
export function postgresReadModels(search: 'elasticsearch' | 'postgres'): readonly Projection[] {
  return search === 'postgres' ? [...projections, textSearchProjection] : projections;
}

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
  /** Its Elasticsearch read models, each rebuildable beside its live index (./runtime/elasticsearch/rebuild.ts); none for PostgreSQL. */
  readonly indices: readonly SearchProjection[];
  products(db: Orm, input: ProductSearchInput): Promise<ProductSearchResult>;
  orders(db: Orm, input: OrderSearchInput): Promise<OrderSearchResult>;
  /**
   * The back office's order search: every customer's orders, or one customer's, a page at a time, from the
   * same read model as the customer's own search. Only staff procedures call it; `orders` is the one that
   * keeps a customer to their own orders.
   */
  allOrders(db: Orm, input: AllOrdersSearchInput): Promise<OrderSearchResult>;
  /** For the status page: whether each search read model answers and takes writes now, and what searches met. */
  status(): Promise<SearchStatus>;
  /**
   * Writes a document again from the log, for a dead letter of the read model `consumer` (`reindexDocument`).
   * Only Elasticsearch read models have dead letters; any other name is an outcome saying so.
   */
  reindex(store: EventStore, consumer: string, document: { readonly streamId: string; readonly target: string }): Promise<RedeliveryOutcome>;
};

export type ElasticsearchBackendOptions = {
  /**
   * Told when searches of a read model answered "catching up" (`count` of them since the last call): once when
   * a kind of failure begins, then once a minute while it lasts. The caller logs it; nothing else does.
   */
  readonly onDegraded?: (readModel: string, failure: SearchFailure, error: unknown, count: number) => void;
};

export function elasticsearchBackend(client: Client, prefix: string, options: ElasticsearchBackendOptions = {}): SearchBackend {
  const search = searchProjections(prefix);
  const degraded = degradedAnswerLog();
  const noticing =
    (readModel: string): SearchFailureListener =>
    (failure, error) => {
      const count = degraded.record(readModel, failure);
      if (count > 0) options.onDegraded?.(readModel, failure, error, count);
    };
  const products = noticing(search.products.name);
  const orders = noticing(search.orders.name);
  return {
    kind: 'elasticsearch',
    consumers: [searchConsumer(client, search.products), searchConsumer(client, search.orders)],
    indices: [search.products, search.orders],
    products: (db, input) => searchProducts(db, client, search.products, input, products),
    orders: (db, input) => searchOrders(db, client, search.orders, input, orders),
    allOrders: (db, input) => searchAllOrders(db, client, search.orders, input, orders),
    status: () => readSearchStatus(client, [search.products, search.orders], degraded),
    reindex(store, consumer, document) {
      if (consumer === search.products.name) return reindexDocument(client, store, search.products, document);
      if (consumer === search.orders.name) return reindexDocument(client, store, search.orders, document);
      return Promise.resolve(noSuchReadModel(consumer));
    },
  };
}

export const postgresSearchBackend: SearchBackend = {
  kind: 'postgres',
  consumers: [textSearchProjection],
  indices: [],
  products: searchProductsByText,
  orders: searchOrdersByText,
  allOrders: searchAllOrdersByText,
  status: () => Promise.resolve({ kind: 'postgres' }),
  reindex: (_store, consumer) => Promise.resolve(noSuchReadModel(consumer)),
};

function noSuchReadModel(consumer: string): RedeliveryOutcome {
  return { ok: false, error: `This server runs no search read model named ${consumer}, so it cannot write its document again.` };
}
