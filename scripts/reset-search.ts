import { searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { dropIndex } from '@/projections/runtime/elasticsearch/search-index';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * Deletes the search indices of ELASTICSEARCH_INDEX_PREFIX, for a suite that also starts from an empty event
 * store: documents left from an earlier log would carry versions the new log's events cannot overtake.
 */
await main(async () => {
  if (env.ELASTICSEARCH_INDEX_PREFIX === 'hindsight') {
    throw new ScriptRefusal('Refusing to reset the default "hindsight" indices: set ELASTICSEARCH_INDEX_PREFIX to a test prefix.');
  }
  if (!env.ELASTICSEARCH_URL) {
    console.log('ELASTICSEARCH_URL is unset: no search indices to reset.');
    return;
  }
  const client = createSearchClient(env.ELASTICSEARCH_URL);
  try {
    for (const projection of Object.values(searchProjections(env.ELASTICSEARCH_INDEX_PREFIX))) {
      await dropIndex(client, projection.index);
    }
    console.log(`Search indices ${env.ELASTICSEARCH_INDEX_PREFIX}_* removed.`);
  } finally {
    await client.close();
  }
});
