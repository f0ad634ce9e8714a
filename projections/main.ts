import { connect } from '@/db/client';
import { env } from '@/server/env';
import { logger } from '@/server/logger';
import { serverSearch } from '@/server/search';
import { projections } from './index';
import { runProjector } from './runtime/projector';

/**
 * `npm run projector`: keeps every read model up to date, as a process of its own beside the web server.
 * Stop it at any moment (Ctrl-C, SIGTERM, a crash): each batch commits with its checkpoint, so the next
 * start continues exactly where the last committed batch ended.
 */
if (!env.DATABASE_URL) {
  logger.error(
    'The projector runs as its own process only against a PostgreSQL server (set DATABASE_URL). With the ' +
      'embedded database, the web server runs the projectors itself: `npm start` is all you need.',
  );
  process.exit(1);
}

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'projector stopping');
    controller.abort();
  });
}

const search = serverSearch();
const all = [...projections, ...search.projections];
// Read models are rebuilt from the log, so their commits need not wait for the disk (see `connect`).
const db = connect(env.DATABASE_URL, {
  max: all.length + 2,
  applicationName: 'hindsight-projector',
  asyncReadModelCommits: true,
});
logger.info(
  {
    projections: all.map((projection) => projection.name),
    batchSize: env.PROJECTOR_BATCH_SIZE,
    search: search.kind === 'elasticsearch' ? env.ELASTICSEARCH_URL : 'postgres full text',
  },
  'projector started',
);
try {
  await runProjector(db, all, {
    search: search.client ?? undefined,
    batchSize: env.PROJECTOR_BATCH_SIZE,
    pollMs: env.PROJECTOR_POLL_MS,
    delayMs: env.PROJECTOR_DELAY_MS,
    logger,
    signal: controller.signal,
  });
} finally {
  await Promise.all([db.close(), search.client?.close()]);
}
logger.info('projector stopped');
