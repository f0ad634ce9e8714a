import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

export type Database = {
  /** postgres.js, for the event store's hand-written SQL and LISTEN/NOTIFY. */
  readonly sql: Sql;
  /** drizzle, for read models. It has a pool of its own: drizzle replaces the JSON and date (de)serialisers of
   * the postgres.js client it is given, which would change what the event store's own SQL sends and receives. */
  readonly orm: PostgresJsDatabase;
  readonly close: () => Promise<void>;
};

export type DatabaseOptions = {
  /** Pool size; the projector needs a few, the web server more. */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell the processes apart. */
  applicationName?: string;
};

export function connect(url: string, options: DatabaseOptions = {}): Database {
  const open = () =>
    postgres(url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { application_name: options.applicationName ?? 'hindsight' },
    });
  const sql = open();
  const ormClient = open();
  return {
    sql,
    orm: drizzle(ormClient, { casing: 'snake_case' }),
    close: async () => {
      await Promise.all([sql.end({ timeout: 5 }), ormClient.end({ timeout: 5 })]);
    },
  };
}
