import { afterAll, beforeAll } from 'vitest';
import type { ConsumerSource } from './consumers';
import { createEventStore, type EventSchemas, type EventStore } from './event-store';
import { createTestDatabase, testEventSchemas, type TestDatabase } from './testing';

/**
 * The vitest side of `./testing`, kept apart from it because the global setup imports that file outside any
 * test context.
 */

/** A spec file's own database and the event store on it, readable once the file's `beforeAll` has run. */
export type TestContext = {
  readonly db: TestDatabase;
  readonly store: EventStore;
  /** What consumers read from and checkpoint to: the file's database and store. */
  readonly source: ConsumerSource;
};

/**
 * Gives the calling spec file a fresh copy of the test database for all its tests, dropped after the last one,
 * with an event store over `schemas`. `setup` runs once the database and store exist, inside the same
 * `beforeAll`.
 */
export function useTestDatabase(
  setup?: (context: TestContext) => Promise<void> | void,
  schemas: EventSchemas = testEventSchemas,
): TestContext {
  let db: TestDatabase | undefined;
  let store: EventStore | undefined;
  const context: TestContext = {
    get db() {
      if (!db) throw new Error('the test database is only there once beforeAll has run');
      return db;
    },
    get store() {
      if (!store) throw new Error('the event store is only there once beforeAll has run');
      return store;
    },
    get source() {
      return { orm: context.db.orm, store: context.store };
    },
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    store = createEventStore(db.sql, { schemas });
    await setup?.(context);
  });
  afterAll(async () => {
    // A NOTIFY still owed to the consumers would otherwise go to a closed connection.
    await store?.settled();
    await db?.drop();
  });
  return context;
}
