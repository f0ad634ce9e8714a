import { connect } from './client';

/** Applies the committed drizzle-kit migrations to a PostgreSQL server; safe to run again. */
export async function migrateDatabase(url: string): Promise<void> {
  const db = connect(url, { max: 1, applicationName: 'hindsight-migrate' });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
}
