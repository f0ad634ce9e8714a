import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { connect } from './client';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations; safe to run again (applied ones are skipped). */
export async function migrateDatabase(url: string): Promise<void> {
  const db = connect(url, { max: 1, applicationName: 'hindsight-migrate' });
  try {
    await migrate(db.orm, { migrationsFolder });
  } finally {
    await db.close();
  }
}
