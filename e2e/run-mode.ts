import type { PlaywrightTestConfig } from '@playwright/test';

export type RunMode = 'full-stack' | 'zero-setup';

/** Long enough for a person (and a test) to see the banner; short enough to keep the suite quick. */
export const consumerDelayMs = 1_000;

/**
 * The fulfillment process's waits, shortened: a paid order waits a few seconds for its handover (the window in
 * which a test cancels it) and the simulated carrier delivers at once. The gateway's answer is awaited 1 s.
 */
export const fulfillmentEnv = {
  FULFILLMENT_HANDOVER_DELAY_MS: '6000',
  FULFILLMENT_CARRIER_DELIVERY_MS: '1000',
  PAYMENTS_TIMEOUT_MS: '1000',
  // The warehouse (its own process in the full stack, inside the web server in zero setup) is quick too.
  WAREHOUSE_PICK_MS: '300',
  WAREHOUSE_PACK_MS: '300',
  WAREHOUSE_DISPATCH_MS: '300',
} as const;

/**
 * Rebuilds in small batches, each after the consumers' delay: the log of the suite's shop is a few hundred
 * events, which one batch of the default size would rebuild before the console could show its progress bar.
 */
export const rebuildEnv = { REBUILD_BATCH_SIZE: '25' } as const;

/**
 * Every test signs in from the same address (127.0.0.1), a few times a minute each: at the shop's default of
 * 10 attempts per client and minute, the suite would lock itself out. The limit itself is checked by the
 * integration spec of sign-in (server/auth/auth.int.spec.ts).
 */
export const authEnv = { AUTH_ATTEMPTS_PER_MINUTE: '1000' } as const;

/**
 * The full stack's broker: the local nats-server (scripts/nats.sh), on a stream and subject prefix of the
 * suite's own, named for the run by scripts/test.sh, which deletes the stream before and after it. The
 * warehouse has a database of its own.
 */
export const brokerEnv = {
  NATS_URL: process.env.NATS_URL || 'nats://127.0.0.1:4222',
  NATS_STREAM: process.env.E2E_NATS_STREAM ?? 'HINDSIGHT_E2E',
  NATS_SUBJECT_PREFIX: process.env.E2E_NATS_SUBJECT_PREFIX ?? 'hindsight-e2e',
} as const;

/**
 * How long a test waits for the fulfillment process to take a step by itself. Each step crosses a few consumers,
 * each pausing `consumerDelayMs` before its batch (for the banner's sake), and some wait for a timer.
 */
export const processStepTimeout = 30_000;

/** The zero-setup shop's data folder (relative to the project's), apart from the developer's own; scripts/test.sh names it for the run. */
export const zeroSetupDataDir = process.env.E2E_EMBEDDED_DATA_DIR ?? '.data/e2e-pglite';

/**
 * The full stack's payment gateway process, and the SMTP listener the suite runs to receive the shop's mail:
 * ports scripts/test.sh finds free at the run's start (these defaults are for a run of playwright by hand).
 */
export const paymentsPort = Number(process.env.E2E_PAYMENTS_PORT ?? 3150);
export const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);

/** What both configurations share: Debian's Chromium, one worker (tests share the shop), traces on failure. */
export const sharedConfig = (port: number): PlaywrightTestConfig => ({
  testDir: '.',
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot work on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
