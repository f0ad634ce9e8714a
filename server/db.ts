import { connect, type Database } from '@/db/client';
import { createEventStore, type EventStore } from '@/db/event-store';
import { env } from './env';

/**
 * One pool per server process. Next.js re-evaluates modules in development on every change; keeping the pool
 * on globalThis stops each reload from opening another one.
 */
const globalForDb = globalThis as unknown as { hindsightDb?: { db: Database; store: EventStore } };

export function serverDatabase(): { db: Database; store: EventStore } {
  if (!globalForDb.hindsightDb) {
    const db = connect(env.DATABASE_URL, { max: 10, applicationName: 'hindsight-web' });
    globalForDb.hindsightDb = { db, store: createEventStore(db.sql) };
  }
  return globalForDb.hindsightDb;
}
