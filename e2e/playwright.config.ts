import { defineConfig } from '@playwright/test';
import { consumerDelayMs, fulfillmentEnv, paymentsPort, sharedConfig, type RunMode } from './run-mode';

const port = Number(process.env.E2E_PORT ?? 3100);
const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';

/**
 * The full stack: `next start` on the PostgreSQL server with Elasticsearch, the payment gateway as its own
 * process (`npm run payments`), and the worker as its own process (a fixture, so a test can stop and restart
 * it; its mail goes to the suite's SMTP listener). scripts/test.sh prepares the database and indices.
 */
export default defineConfig<object, { runMode: RunMode }>({
  ...sharedConfig(port),
  use: { ...sharedConfig(port).use, runMode: 'full-stack' },
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
      command: `npx next start --port ${port}`,
      cwd: '..',
      url: `http://127.0.0.1:${port}/api/trpc/session.current`,
      env: {
        DATABASE_URL: databaseUrl,
        ELASTICSEARCH_URL: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200',
        ELASTICSEARCH_INDEX_PREFIX: indexPrefix,
        PAYMENTS_URL: `http://127.0.0.1:${paymentsPort}`,
        CONSUMER_DELAY_MS: String(consumerDelayMs),
        ...fulfillmentEnv,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
