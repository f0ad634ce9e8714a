import { maintenanceTarget, recreateDatabase } from '@/db/admin';
import { migrateDatabase } from '@/db/migrate';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * Drops and recreates the database DATABASE_URL names, then migrates it (with --empty: leaves it empty, for a
 * service that migrates its own, like the warehouse). For throwaway databases only (the end-to-end suite's);
 * it refuses a database whose name does not say it is one.
 */
await main(async () => {
  if (!env.DATABASE_URL) throw new ScriptRefusal('Set DATABASE_URL to the throwaway database to reset.');
  const { name } = maintenanceTarget(env.DATABASE_URL);
  if (!/(_test|_e2e)(_|$)/.test(name)) {
    throw new ScriptRefusal(`Refusing to reset "${name}": only databases named *_test or *_e2e are reset.`);
  }
  await recreateDatabase(env.DATABASE_URL);
  if (process.argv.includes('--empty')) return console.log(`Database ${name} recreated, empty.`);
  await migrateDatabase(env.DATABASE_URL);
  console.log(`Database ${name} recreated and migrated.`);
});
