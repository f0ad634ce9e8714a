import type { Database } from '@/db/client';
import { createEventStore, type EventStore } from '@/db/event-store';
import { openDatabase } from '@/db/open';
import { env } from './env';

export type ServerDatabase = { db: Database; store: EventStore };

/**
 * One database per server process: a pool for a PostgreSQL server, or the embedded database when
 * DATABASE_URL is unset. Next.js re-evaluates modules in development on every change; keeping it on
 * globalThis stops each reload from opening another pool (or failing on the embedded database's lock).
 */
const globalForDb = globalThis as unknown as { hindsightDb?: Promise<ServerDatabase> };

export function serverDatabase(): Promise<ServerDatabase> {
  globalForDb.hindsightDb ??= openDatabase(
    { url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR },
    { max: 10, applicationName: 'hindsight-web' },
  ).then((db) => ({ db, store: createEventStore(db.sql) }));
  return globalForDb.hindsightDb;
}
