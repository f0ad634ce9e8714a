import type { Client } from '@elastic/elasticsearch';
import { elasticsearchBackend, postgresSearchBackend, type SearchBackend } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { env } from './env';
import { logger } from './logger';

export type Search = SearchBackend & { readonly client: Client | null };

const globalForSearch = globalThis as unknown as { hindsightSearch?: Search };

/**
 * Search on an Elasticsearch cluster, under the given index prefix. A search Elasticsearch could not answer
 * says "catching up" to the shopper; why (with Elasticsearch's own error, index names and all) is logged here.
 */
export function elasticsearchSearch(client: Client, prefix: string): Search {
  return {
    ...elasticsearchBackend(client, prefix, {
      onDegraded(readModel, failure, error, count) {
        // `refused` is Elasticsearch refusing the query itself: no state that passes, most likely our bug.
        const level = failure.kind === 'refused' ? 'error' : 'warn';
        logger[level]({ err: error, readModel, failure, degradedAnswers: count }, `search answered "catching up": ${failure.summary}`);
      },
    }),
    client,
  };
}

/** Search by PostgreSQL full text, without a cluster. */
export const postgresSearch: Search = { ...postgresSearchBackend, client: null };

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
