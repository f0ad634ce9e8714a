import postgres from 'postgres';
import { migrateDatabase } from '@/db/migrate';
import { env } from '@/server/env';

/** `npm run db:migrate`: creates the database if the server does not have it yet, then applies migrations. */
const target = new URL(env.DATABASE_URL);
const name = decodeURIComponent(target.pathname.slice(1));
const admin = new URL(target);
admin.pathname = '/postgres';
const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
try {
  const [existing] = await sql`select 1 from pg_database where datname = ${name}`;
  if (!existing) {
    await sql`create database ${sql(name)}`;
    console.log(`Created database ${name}.`);
  }
} finally {
  await sql.end();
}
console.log(`Migrating ${target.host}/${name} …`);
await migrateDatabase(env.DATABASE_URL);
console.log('Migrations applied.');
