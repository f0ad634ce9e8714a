import { connect } from '@/db/client';
import { env } from '@/server/env';
import { logger } from '@/server/logger';
import { projections, searchProjections } from './index';
import { createSearchClient } from './runtime/elasticsearch/client';
import { runProjector } from './runtime/projector';

/**
 * `npm run projector`: keeps every PostgreSQL read model up to date, as a process of its own beside the web
 * server. Stop it at any moment (Ctrl-C, SIGTERM, a crash): each batch commits with its checkpoint, so the
 * next start continues exactly where the last committed batch ended.
 */
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'projector stopping');
    controller.abort();
  });
}

const search = searchProjections(env.ELASTICSEARCH_INDEX_PREFIX);
const all = [...projections, search.products, search.orders];
const db = connect(env.DATABASE_URL, { max: all.length + 2, applicationName: 'hindsight-projector' });
const client = createSearchClient(env.ELASTICSEARCH_URL);
logger.info(
  {
    projections: all.map((projection) => projection.name),
    batchSize: env.PROJECTOR_BATCH_SIZE,
    elasticsearch: env.ELASTICSEARCH_URL,
  },
  'projector started',
);
try {
  await runProjector(db, all, {
    search: client,
    batchSize: env.PROJECTOR_BATCH_SIZE,
    pollMs: env.PROJECTOR_POLL_MS,
    delayMs: env.PROJECTOR_DELAY_MS,
    logger,
    signal: controller.signal,
  });
} finally {
  await Promise.all([db.close(), client.close()]);
}
logger.info('projector stopped');
