import { defineConfig } from '@playwright/test';
import { authEnv, brokerEnv, consumerDelayMs, fulfillmentEnv, rebuildEnv, paymentsPort, sharedConfig, type RunMode } from './run-mode';

const port = Number(process.env.E2E_PORT ?? 3100);
const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';
const warehouseDatabaseUrl = process.env.E2E_WAREHOUSE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e_warehouse';

/**
 * The full stack: `next start` on the PostgreSQL server with Elasticsearch, the payment gateway as its own
 * process (`npm run payments`), the warehouse as its own process over NATS JetStream (`npm run warehouse`),
 * and the worker as its own process (a fixture, so a test can stop and restart it; its mail goes to the
 * suite's SMTP listener). scripts/test.sh prepares the databases, indices and stream.
 */
export default defineConfig<object, { runMode: RunMode }>({
  ...sharedConfig(port),
  use: { ...sharedConfig(port).use, runMode: 'full-stack' },
  grepInvert: /@zero-setup/,
  webServer: [
    {
      command: 'npx tsx server/main/payments.ts',
      cwd: '..',
      url: `http://127.0.0.1:${paymentsPort}/health`,
      env: { PAYMENTS_DATABASE_URL: databaseUrl, PAYMENTS_PORT: String(paymentsPort), LOG_LEVEL: 'warn' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: 'npx tsx services/warehouse/main.ts',
      cwd: '..',
      // It serves no HTTP: ready once it logs that it runs (one JSON line).
      wait: { stdout: /"msg":"warehouse running"/ },
      env: {
        WAREHOUSE_DATABASE_URL: warehouseDatabaseUrl,
        ...brokerEnv,
        WAREHOUSE_PICK_MS: fulfillmentEnv.WAREHOUSE_PICK_MS,
        WAREHOUSE_PACK_MS: fulfillmentEnv.WAREHOUSE_PACK_MS,
        WAREHOUSE_DISPATCH_MS: fulfillmentEnv.WAREHOUSE_DISPATCH_MS,
        LOG_LEVEL: 'info',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx next start --port ${port}`,
      cwd: '..',
      url: `http://127.0.0.1:${port}/api/trpc/session.current`,
      env: {
        DATABASE_URL: databaseUrl,
        ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
        ELASTICSEARCH_INDEX_PREFIX: indexPrefix,
        PAYMENTS_URL: `http://127.0.0.1:${paymentsPort}`,
        CONSUMER_DELAY_MS: String(consumerDelayMs),
        ...authEnv,
        ...fulfillmentEnv,
        ...rebuildEnv,
        ...brokerEnv,
        // As npm start runs it: the shop's own SIGTERM handling (server/main/shutdown.ts).
        NEXT_MANUAL_SIG_HANDLE: 'true',
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
