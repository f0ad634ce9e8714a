import { defineConfig } from '@playwright/test';
import { authEnv, consumerDelayMs, fulfillmentEnv, rebuildEnv, sharedConfig, zeroSetupDataDir, type RunMode } from './run-mode';

const port = Number(process.env.E2E_ZERO_SETUP_PORT ?? 3200);

/**
 * Zero-setup mode, started exactly as the README's first command does (`npm start`) with neither
 * DATABASE_URL nor ELASTICSEARCH_URL: the embedded database, created and seeded on start, PostgreSQL full
 * text for search, every consumer of the log, the payment gateway simulator and the warehouse inside the web server (integration
 * events in process, no broker), mail in
 * the development mailbox. Its own data folder keeps the developer's intact.
 * Tests that stop the worker process need the full stack and are left out.
 */
export default defineConfig<object, { runMode: RunMode }>({
  ...sharedConfig(port),
  use: { ...sharedConfig(port).use, runMode: 'zero-setup' },
  grepInvert: /@full-stack/,
  webServer: {
    command: 'npm start',
    cwd: '..',
    url: `http://127.0.0.1:${port}/api/trpc/session.current`,
    env: {
      PORT: String(port),
      // Empty means unset (server/env.ts): the suite's own settings must not leak into this mode.
      DATABASE_URL: '',
      ELASTICSEARCH_URL: '',
      PAYMENTS_URL: '',
      SMTP_URL: '',
      NATS_URL: '',
      ...fulfillmentEnv,
        ...rebuildEnv,
      EMBEDDED_DATA_DIR: zeroSetupDataDir,
      CONSUMER_DELAY_MS: String(consumerDelayMs),
      ...authEnv,
      LOG_LEVEL: 'warn',
    },
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
