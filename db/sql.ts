import type { PGlite, Transaction } from '@electric-sql/pglite';
import type postgres from 'postgres';

/**
 * The few things the event store asks of a PostgreSQL connection, so the same SQL runs on a PostgreSQL
 * server (postgres.js) and on the embedded PGlite. Parameters are positional ($1, $2, …); JSON goes in as
 * text cast `$1::text::jsonb` (a bare `::jsonb` makes postgres.js encode the text as JSON once more), and
 * 64-bit numbers come out as text, the same on both drivers.
 */
export type SqlExecutor = {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>;
};

export type SqlClient = SqlExecutor & {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves once listening, to a function that stops. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
};

export function postgresJsClient(sql: postgres.Sql): SqlClient {
  const executor = (connection: postgres.Sql | postgres.TransactionSql): SqlExecutor => ({
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      // Prepared: the event store's statements repeat, and a prepared one skips parsing and planning.
      return (await connection.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as Row[];
    },
  });
  return {
    ...executor(sql),
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) =>
      sql.begin((tx) => work(executor(tx))) as Promise<T>,
    async listen(channel, onNotify) {
      const subscription = await sql.listen(channel, onNotify);
      return () => subscription.unlisten();
    },
  };
}

/**
 * What the event store asks of PGlite: PGlite itself, or the embedded database on another thread
 * (db/embedded-bridge.ts).
 */
export type PGliteConnection = Pick<PGlite, 'query'> & {
  transaction<T>(work: (tx: Pick<Transaction, 'query'>) => Promise<T>): Promise<T>;
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
};

export function pgliteClient(pg: PGliteConnection): SqlClient {
  const executor = (connection: Pick<PGlite | Transaction, 'query'>): SqlExecutor => ({
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      return (await connection.query<Row>(text, params as unknown[])).rows;
    },
  });
  return {
    ...executor(pg),
    transaction: (work) => pg.transaction((tx) => work(executor(tx))),
    async listen(channel, onNotify) {
      const unlisten = await pg.listen(channel, onNotify);
      return () => unlisten();
    },
  };
}

/** The PostgreSQL error code and constraint of a failed statement, whichever driver raised it. */
export function databaseError(error: unknown): { code?: string; constraint?: string; detail?: string } {
  if (typeof error !== 'object' || error === null) return {};
  const fields = error as { code?: unknown; constraint_name?: unknown; constraint?: unknown; detail?: unknown };
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    code: text(fields.code),
    constraint: text(fields.constraint_name) ?? text(fields.constraint),
    detail: text(fields.detail),
  };
}
