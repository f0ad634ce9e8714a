import type { Client } from '@elastic/elasticsearch';
import { elasticsearchBackend, postgresSearchBackend, type SearchBackend } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { env } from './env';

export type Search = SearchBackend & { readonly client: Client | null };

const globalForSearch = globalThis as unknown as { hindsightSearch?: Search };

/**
 * This process's search: Elasticsearch when ELASTICSEARCH_URL is set, else PostgreSQL full text. One client
 * per process, kept across development reloads like the database pool.
 */
export function serverSearch(): Search {
  if (!globalForSearch.hindsightSearch) {
    if (env.ELASTICSEARCH_URL) {
      const client = createSearchClient(env.ELASTICSEARCH_URL);
      globalForSearch.hindsightSearch = { ...elasticsearchBackend(client, env.ELASTICSEARCH_INDEX_PREFIX), client };
    } else {
      globalForSearch.hindsightSearch = { ...postgresSearchBackend, client: null };
    }
  }
  return globalForSearch.hindsightSearch;
}
