import { ensureDatabase, maintenanceTarget } from '@/db/admin';
import { openDatabase } from '@/db/open';
import { env } from '@/server/env';
import { main } from './main';

/**
 * `npm run db:migrate`: applies the committed migrations, to the PostgreSQL server at DATABASE_URL (creating
 * the database if the server does not have it yet) or, without DATABASE_URL, to the embedded database.
 */
await main(async () => {
  if (env.DATABASE_URL) {
    const { name } = maintenanceTarget(env.DATABASE_URL);
    if (await ensureDatabase(env.DATABASE_URL)) console.log(`Created database ${name}.`);
    console.log(`Migrating ${new URL(env.DATABASE_URL).host}/${name} …`);
  } else {
    console.log(`Migrating the embedded database in ${env.EMBEDDED_DATA_DIR} …`);
  }
  const db = await openDatabase({ url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR }, { max: 1 });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  console.log('Migrations applied.');
});
