import postgres from 'postgres';
import { postgresWarehouseSql, type WarehouseSql } from './sql';

export type WarehouseDatabase = {
  readonly sql: WarehouseSql;
  close(): Promise<void>;
};

/**
 * The standalone warehouse's own database on a PostgreSQL server, created if the server does not have it yet:
 * the warehouse needs no set-up step of its own, as the shop's database needs `db:migrate`.
 */
export async function openWarehouseDatabase(url: string): Promise<WarehouseDatabase> {
  await createDatabaseIfMissing(url);
  const client = postgres(url, { max: 10, onnotice: () => {}, connection: { application_name: 'hindsight-warehouse' } });
  return { sql: postgresWarehouseSql(client), close: () => client.end({ timeout: 5 }) };
}

/** A database cannot be created from a connection to itself: this connects to the server's `postgres` database. */
async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const maintenance = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    const [existing] = await maintenance`select from pg_database where datname = ${name}`;
    if (existing) return;
    // sql(name) quotes it as an identifier.
    await maintenance`create database ${maintenance(name)}`.catch((error: unknown) => {
      // Another warehouse created it between the look and the create: committed first, a duplicate database
      // (42P04); still committing, a duplicate catalog key (23505). Either way it exists, which is all we need.
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== '42P04' && code !== '23505') throw error;
    });
  } finally {
    await maintenance.end();
  }
}
