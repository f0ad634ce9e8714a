import postgres from 'postgres';
import { migrateDatabase } from '@/db/migrate';
import { env } from '@/server/env';

/**
 * Drops and recreates the database DATABASE_URL names, then migrates it. For throwaway databases only
 * (the end-to-end suite's); it refuses a database whose name does not say it is one.
 */
if (!env.DATABASE_URL) {
  console.error('Set DATABASE_URL to the throwaway database to reset.');
  process.exit(1);
}
const target = new URL(env.DATABASE_URL);
const name = decodeURIComponent(target.pathname.slice(1));
if (!/(_test|_e2e)(_|$)/.test(name)) {
  console.error(`Refusing to reset "${name}": only databases named *_test or *_e2e are reset.`);
  process.exit(1);
}
const admin = new URL(target);
admin.pathname = '/postgres';
const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
try {
  await sql`drop database if exists ${sql(name)} with (force)`;
  await sql`create database ${sql(name)}`;
} finally {
  await sql.end();
}
await migrateDatabase(env.DATABASE_URL);
console.log(`Database ${name} recreated and migrated.`);
