import type { Client } from '@elastic/elasticsearch';
import { searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { env } from './env';

export type Search = { client: Client } & ReturnType<typeof searchProjections>;

const globalForSearch = globalThis as unknown as { hindsightSearch?: Search };

/** One Elasticsearch client per server process (kept across development reloads, like the database pool). */
export function serverSearch(): Search {
  globalForSearch.hindsightSearch ??= {
    client: createSearchClient(env.ELASTICSEARCH_URL),
    ...searchProjections(env.ELASTICSEARCH_INDEX_PREFIX),
  };
  return globalForSearch.hindsightSearch;
}
