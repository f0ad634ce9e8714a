import type { Client } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import { elasticsearchBackend, postgresSearchBackend, searchProjections, type SearchBackend } from '@/projections';
import { searchAllOrders, type AllOrdersSearchInput, type OrderSearchResult } from '@/projections/order-search/query';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { searchAllOrdersByText } from '@/projections/text-search/query';
import { env } from './env';

export type Search = SearchBackend & {
  readonly client: Client | null;
  /**
   * The back office's order search: every customer's orders, or one customer's, a page at a time, from the
   * same read model as the customer's own search. Only staff procedures call it; `orders` is the one that
   * keeps a customer to their own orders.
   */
  allOrders(db: Orm, input: AllOrdersSearchInput): Promise<OrderSearchResult>;
};

const globalForSearch = globalThis as unknown as { hindsightSearch?: Search };

/** Search on an Elasticsearch cluster, under the given index prefix. */
export function elasticsearchSearch(client: Client, prefix: string): Search {
  const orders = searchProjections(prefix).orders;
  return {
    ...elasticsearchBackend(client, prefix),
    client,
    allOrders: (db, input) => searchAllOrders(db, client, orders, input),
  };
}

/** Search by PostgreSQL full text, without a cluster. */
export const postgresSearch: Search = { ...postgresSearchBackend, client: null, allOrders: searchAllOrdersByText };

/**
 * This process's search: Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL full text. One client
 * per process, kept across development reloads like the database pool.
 */
export function serverSearch(): Search {
  if (!globalForSearch.hindsightSearch) {
    globalForSearch.hindsightSearch = env.ELASTICSEARCH_URL
      ? elasticsearchSearch(createSearchClient(env.ELASTICSEARCH_URL), env.ELASTICSEARCH_INDEX_PREFIX)
      : postgresSearch;
  }
  return globalForSearch.hindsightSearch;
}
