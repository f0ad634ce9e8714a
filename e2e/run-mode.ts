import type { PlaywrightTestConfig } from '@playwright/test';

export type RunMode = 'full-stack' | 'zero-setup';

/** Long enough for a person (and a test) to see the banner; short enough to keep the suite quick. */
export const consumerDelayMs = 1_000;

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
