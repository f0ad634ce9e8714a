import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude: ['node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts'],
          globalSetup: ['db/test-setup.ts'],
          exclude: ['node_modules/**'],
          // Each file has its own database, but the event store's read horizon is server-wide: one file's
          // open transactions would stall another's projections. Files therefore run one after another.
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
