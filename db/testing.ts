import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventSchemas } from './event-store';
import { createDatabase, dropDatabase, maintenanceTarget, recreateDatabase } from './admin';
import { connect, type Database } from './client';
import { openEmbedded } from './embedded';
import { migrateDatabase } from './migrate';

/**
 * Integration tests run against the real PostgreSQL server. `prepareTemplate` (vitest global setup) migrates
 * the test database once; each test file then gets its own copy of it, so files never see each other's events
 * and a test can replay the whole log from zero. scripts/test.sh names the template for its run
 * (hindsight_test_<run id>), so two runs side by side never drop or copy each other's.
 */
const templateUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_test';

function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

export async function prepareTemplate(): Promise<void> {
  if (testEngine === 'pglite') return;
  await recreateDatabase(templateUrl);
  await migrateDatabase(templateUrl);
}

/** After the last file: the run leaves no template behind (each file drops its own copy). */
export async function dropTemplate(): Promise<void> {
  if (testEngine === 'pglite') return;
  await dropDatabase(templateUrl);
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
  const template = maintenanceTarget(templateUrl).name;
  const url = withDatabase(templateUrl, `${template}_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
  await createDatabase(url, { template });
  const db = connect(url, { max: 10, applicationName: 'hindsight-test' });
  return {
    ...db,
    url,
    async drop() {
      await db.close();
      await dropDatabase(url);
    },
  };
}

/**
 * The events of the store's and the engine's own specs, which are generic and use none of the shop's. `Renamed`
 * has two versions, so a spec can store either.
 */
export const testEventSchemas: EventSchemas = {
  Counted: [{ schema: z.strictObject({ n: z.number() }) }],
  Noted: [{ schema: z.strictObject({ key: z.string() }) }],
  Ignored: [{ schema: z.strictObject({ key: z.string() }) }],
  Wanted: [{ schema: z.strictObject({ n: z.number() }) }],
  Other: [{ schema: z.strictObject({ n: z.number() }) }],
  Renamed: [
    { schema: z.strictObject({ title: z.string() }) },
    { schema: z.strictObject({ name: z.string() }), upcast: ({ title }: { title: string }) => ({ name: title }) },
  ],
};
