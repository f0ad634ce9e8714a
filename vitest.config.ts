import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export const resolve = { alias: { '@': root } };

/**
 * The unit specs: pure code, no backends. Mutation testing runs these alone (vitest.mutation.config.ts), in a
 * copy of the tree under .stryker-tmp whose specs are not these.
 */
export const unitProject = { name: 'unit', include: ['**/*.unit.spec.ts'], exclude: ['node_modules/**', '.stryker-tmp/**'] };

export default defineConfig({
  resolve,
  test: {
    projects: [
      { extends: true, test: unitProject },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts'],
          globalSetup: ['db/test-setup.ts'],
          exclude: ['node_modules/**'],
          // Each file has its own database, and only appends hold the readers' horizon (docs/event-store.md),
          // so files could run side by side; they run one after another because several kill processes,
          // take brokers down or time a warehouse, and on two cores their neighbours would make them flaky.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // The event store and the PostgreSQL read models again, on the embedded database (PGlite is
          // PostgreSQL 18, the server 15): the same SQL must run on both.
          name: 'int-pglite',
          include: ['db/**/*.int.spec.ts', 'projections/**/*.int.spec.ts', 'processes/timers/*.int.spec.ts', 'server/*-events.int.spec.ts', 'server/event-history.int.spec.ts'],
          exclude: ['node_modules/**', 'projections/product-search/**', 'projections/order-search/**', 'projections/runtime/elasticsearch/**'],
          env: { TEST_DATABASE_ENGINE: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
