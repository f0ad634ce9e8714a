import postgres from 'postgres';
import { openDatabase } from '@/db/open';
import { env } from '@/server/env';
import { main } from './main';

/**
 * `npm run db:migrate`: applies the committed migrations, to the PostgreSQL server at DATABASE_URL (creating
 * the database if the server does not have it yet) or, without DATABASE_URL, to the embedded database.
 */
if (env.DATABASE_URL) {
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
} else {
  console.log(`Migrating the embedded database in ${env.EMBEDDED_DATA_DIR} …`);
}
await main(async () => {
  const db = await openDatabase({ url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR }, { max: 1 });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  console.log('Migrations applied.');
});
