import postgres from 'postgres';
import { databaseError } from './sql';

/**
 * Creating and dropping whole databases on a PostgreSQL server, for migrations, tests and benchmarks. A
 * database cannot be created or dropped from a connection to itself, so each function connects to the
 * server's `postgres` maintenance database, runs its statements and disconnects. Names go in through
 * postgres.js `sql(name)`, which quotes them as identifiers.
 */

/** The URL of the maintenance database on the server `url` points at, and the database `url` names. */
export function maintenanceTarget(url: string): { readonly maintenanceUrl: string; readonly name: string } {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name) throw new Error(`${target.host} is a server; the URL names no database.`);
  target.pathname = '/postgres';
  return { maintenanceUrl: target.toString(), name };
}

async function onMaintenance<T>(url: string, work: (sql: postgres.Sql, name: string) => Promise<T>): Promise<T> {
  const { maintenanceUrl, name } = maintenanceTarget(url);
  const sql = postgres(maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql, name);
  } finally {
    await sql.end();
  }
}

/** `template` names a database on the same server to copy; nothing may be connected to it meanwhile. */
export async function createDatabase(url: string, options: { readonly template?: string } = {}): Promise<void> {
  await onMaintenance(url, async (sql, name) => {
    await (options.template
      ? sql`create database ${sql(name)} template ${sql(options.template)}`
      : sql`create database ${sql(name)}`);
  });
}

/**
 * Drops the database if it is there. `with (force)` ends the sessions still on it (a pool that is closing,
 * the run that crashed), which would otherwise make the drop fail.
 */
export async function dropDatabase(url: string): Promise<void> {
  await onMaintenance(url, async (sql, name) => {
    await sql`drop database if exists ${sql(name)} with (force)`;
  });
}

/** Drops the database if it is there and creates it empty: a throwaway database's fresh start. */
export async function recreateDatabase(url: string): Promise<void> {
  await onMaintenance(url, async (sql, name) => {
    await sql`drop database if exists ${sql(name)} with (force)`;
    await sql`create database ${sql(name)}`;
  });
}

/** Creates the database unless the server has it already; true when it was created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  return onMaintenance(url, async (sql, name) => {
    const [existing] = await sql`select from pg_database where datname = ${name}`;
    if (existing) return false;
    try {
      await sql`create database ${sql(name)}`;
      return true;
    } catch (error) {
      // Another process created it between the look and the create: it exists, which is all that was asked.
      // Committed first, it is a duplicate database (42P04); still committing, a duplicate catalog key (23505).
      const { code } = databaseError(error);
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  });
}
