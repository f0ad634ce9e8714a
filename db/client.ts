import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsFolder } from './migrations-folder';
import { postgresJsClient, type SqlClient } from './sql';

/** drizzle over either driver: read models and their queries are written once, for both. */
export type Orm = PgDatabase<PgQueryResultHKT>;

/** A drizzle transaction: a consumer's batch writes and its checkpoint go through one. */
export type OrmTx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export type Database = {
  /** `server`: a PostgreSQL server. `embedded`: PGlite inside this process (see db/embedded.ts). */
  readonly kind: 'server' | 'embedded';
  /** For the event store's hand-written SQL and LISTEN/NOTIFY. */
  readonly sql: SqlClient;
  /** drizzle, for read models. */
  readonly orm: Orm;
  /** Applies the committed drizzle-kit migrations; already applied ones are skipped. */
  readonly migrate: () => Promise<void>;
  readonly close: () => Promise<void>;
};

export type DatabaseOptions = {
  /** Pool size; the worker needs a few, the web server more. */
  max?: number;
  /** The drizzle pool's size, when it should differ from `max` (the worker's appends need more than its read models). */
  readModelMax?: number;
  /** Shown in pg_stat_activity, so an operator can tell the processes apart. */
  applicationName?: string;
  /**
   * Commit read-model writes without waiting for the WAL flush (`synchronous_commit = off` on the drizzle
   * pool only; the event store's pool always commits durably). For the worker: a read model's rows and
   * its checkpoint commit in one transaction, so a server crash can only lose the last few batches whole,
   * and the engine applies them again from the log. It never applies an event twice or loses a command.
   */
  asyncReadModelCommits?: boolean;
};

/** A PostgreSQL server. */
export function connect(url: string, options: DatabaseOptions = {}): Database {
  const open = (settings: Record<string, string> = {}, max = options.max ?? 10) =>
    postgres(url, {
      max,
      onnotice: () => {},
      connection: { application_name: options.applicationName ?? 'hindsight', ...settings },
    });
  const sql = open();
  // drizzle gets a pool of its own: it replaces the JSON and date (de)serialisers of the postgres.js client
  // it is given, which would change what the event store's own SQL sends and receives.
  const ormClient = open(options.asyncReadModelCommits ? { synchronous_commit: 'off' } : {}, options.readModelMax ?? options.max ?? 10);
  const orm = drizzle(ormClient, { casing: 'snake_case' });
  return {
    kind: 'server',
    sql: postgresJsClient(sql),
    orm,
    migrate: () => migrate(orm, { migrationsFolder }),
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), ormClient.end({ timeout: 5 })]);
    },
  };
}
