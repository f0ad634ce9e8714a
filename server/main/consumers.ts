import type { Consumer } from '@/db/consumers';
import { projections } from '@/projections';
import type { Search } from '../search';

/**
 * Every consumer of the log that a shop runs: the PostgreSQL read models and the read models that feed search
 * (Elasticsearch, or PostgreSQL full text). The worker process runs them, or the web server itself in
 * zero-setup mode; process managers, reactors and the broker relay join this list as they arrive.
 */
export function shopConsumers(search: Search): readonly Consumer[] {
  return [...projections, ...search.consumers];
}
