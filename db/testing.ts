import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { connect, type Database } from './client';
import { openEmbedded } from './embedded';
import { migrateDatabase } from './migrate';

/**
 * Integration tests run against the real PostgreSQL server. `prepareTemplate` (vitest global setup) migrates
 * the test database once; each test file then gets its own copy of it, so files never see each other's events
 * and a test can replay the whole log from zero.
 */
const templateUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_test';

function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

function adminConnection() {
  return postgres(withDatabase(templateUrl, 'postgres'), { max: 1, onnotice: () => {} });
}

function templateName(): string {
  return new URL(templateUrl).pathname.slice(1);
}

export async function prepareTemplate(): Promise<void> {
  if (testEngine === 'pglite') return;
  const admin = adminConnection();
  try {
    await admin`drop database if exists ${admin(templateName())} with (force)`;
    await admin`create database ${admin(templateName())}`;
  } finally {
    await admin.end();
  }
  await migrateDatabase(templateUrl);
}

/**
 * Which engine the integration suite runs on: the PostgreSQL server (default) or, with
 * TEST_DATABASE_ENGINE=pglite, a fresh in-memory embedded database per file, so the SQL is proven on both.
 */
export const testEngine: 'server' | 'pglite' = process.env.TEST_DATABASE_ENGINE === 'pglite' ? 'pglite' : 'server';

export type TestDatabase = Database & {
  /** The server database's URL, for a test that needs a connection of its own; null on PGlite. */
  readonly url: string | null;
  readonly drop: () => Promise<void>;
};

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testEngine === 'pglite') {
    const db = await openEmbedded(null);
    await db.migrate();
    return { ...db, url: null, drop: () => db.close() };
  }
  const name = `${templateName()}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = adminConnection();
  try {
    await admin`create database ${admin(name)} template ${admin(templateName())}`;
  } finally {
    await admin.end();
  }
  const url = withDatabase(templateUrl, name);
  const db = connect(url, { max: 10, applicationName: 'hindsight-test' });
  return {
    ...db,
    url,
    async drop() {
      await db.close();
      const cleanup = adminConnection();
      try {
        await cleanup`drop database if exists ${cleanup(name)} with (force)`;
      } finally {
        await cleanup.end();
      }
    },
  };
}
