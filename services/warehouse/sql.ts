import type postgres from 'postgres';

/**
 * What the warehouse asks of a PostgreSQL connection, and nothing more: positional parameters ($1, $2, …), JSON
 * passed as text and cast (`$1::text::jsonb`; a bare `::jsonb` makes postgres.js encode the text as JSON once
 * more), 64-bit numbers read as text. The shop's SQL client has the same shape, so the shop can run the warehouse
 * in its own process on its own database (the embedded PGlite included); the standalone process uses the
 * postgres.js adapter below. The SQL is plain PostgreSQL that runs on 15 and on PGlite's 18.
 */
export type WarehouseExecutor = {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>;
};

export type WarehouseSql = WarehouseExecutor & {
  transaction<T>(work: (tx: WarehouseExecutor) => Promise<T>): Promise<T>;
};

export function postgresWarehouseSql(sql: postgres.Sql): WarehouseSql {
  const executor = (connection: postgres.Sql | postgres.TransactionSql): WarehouseExecutor => ({
    async query<Row extends object>(text: string, params: readonly unknown[] = []) {
      // Prepared: the warehouse runs a handful of statements over and over.
      return (await connection.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as Row[];
    },
  });
  return {
    ...executor(sql),
    transaction: <T>(work: (tx: WarehouseExecutor) => Promise<T>) => sql.begin((tx) => work(executor(tx))) as Promise<T>,
  };
}
