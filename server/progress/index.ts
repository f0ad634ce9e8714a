import { connect } from '@/db/client';
import { projections } from '@/projections';
import { serverDatabase } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { serverSearch } from '../search';
import { progressHub, type ProgressHub } from './hub';
import { progressStream } from './stream';

export { progressHub, type Positions, type ProgressHub } from './hub';
export { progressStream } from './stream';

/**
 * One hub per process, kept on globalThis: Next.js bundles each route with its own copy of our modules, and
 * re-evaluates them in development, but the LISTEN connection and the checkpoint reader are per process.
 */
const globalForProgress = globalThis as unknown as { hindsightProgressHub?: Promise<ProgressHub> };

/**
 * The read models whose checkpoints the stream carries: every PostgreSQL read model and this server's
 * search read models. Each public query already returns its read model's checkpoint to any shopper; the
 * other consumers (processes, reactors, the relay) and everything else the staff's status page shows
 * (errors, lag, owners) stay off the stream.
 */
function readModelNames(): string[] {
  return [...projections, ...serverSearch().consumers].map((consumer) => consumer.name);
}

function serverProgressHub(): Promise<ProgressHub> {
  globalForProgress.hindsightProgressHub ??= serverDatabase().then(({ db, store }) =>
    progressHub({
      // A connection of its own on a server (see `ProgressHubOptions.sql`); the embedded database has one.
      sql: db.kind === 'server' && env.DATABASE_URL ? connect(env.DATABASE_URL, { max: 1, applicationName: 'hindsight-progress' }).sql : db.sql,
      store,
      readModels: readModelNames(),
      onError: (error) => logger.warn({ err: error }, 'could not read the checkpoints for the progress stream; trying again'),
    }),
  );
  return globalForProgress.hindsightProgressHub;
}

/** GET /api/progress: this web server's progress stream (server-sent events). */
export async function progressResponse(request: Request): Promise<Response> {
  return progressStream(await serverProgressHub(), request.signal);
}
