import { test as base } from '@playwright/test';
import { CartPage, OrderPage, OrderSearch, OrdersPage, OrderTimeTravel, SearchPage, Storefront } from './pages';
import { MailCatcher } from './mail';
import { WorkerProcess } from './worker';
import { brokerEnv, consumerDelayMs, fulfillmentEnv, rebuildEnv, paymentsPort, smtpPort, type RunMode } from './run-mode';

const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';

type Fixtures = {
  storefront: Storefront;
  cart: CartPage;
  orders: OrdersPage;
  search: SearchPage;
  orderSearch: OrderSearch;
  orderTimeTravel: OrderTimeTravel;
  order: OrderPage;
};
type WorkerFixtures = {
  /** Set by the config: which way the shop under test was started. */
  runMode: RunMode;
  /** The full stack's worker process; null in zero-setup mode, where the web server runs every consumer. */
  worker: WorkerProcess | null;
  /** The SMTP listener the full stack's worker mails to; null in zero-setup mode (mail goes to /mailbox). */
  mailCatcher: MailCatcher | null;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  runMode: ['full-stack', { scope: 'worker', option: true }],
  mailCatcher: [
    async ({ runMode }, use) => {
      if (runMode === 'zero-setup') return use(null);
      const catcher = new MailCatcher(smtpPort);
      await catcher.start();
      await use(catcher);
      await catcher.stop();
    },
    { scope: 'worker' },
  ],
  worker: [
    async ({ runMode, mailCatcher }, use) => {
      if (runMode === 'zero-setup') return use(null);
      const worker = new WorkerProcess({
        databaseUrl,
        indexPrefix,
        delayMs: consumerDelayMs,
        env: { ...fulfillmentEnv, ...rebuildEnv, ...brokerEnv, PAYMENTS_URL: `http://127.0.0.1:${paymentsPort}`, SMTP_URL: mailCatcher!.url },
      });
      await worker.start();
      await use(worker);
      await worker.stop();
    },
    // Longer than the worker's own wait for its start (e2e/worker.ts), which then fails first and says why.
    { scope: 'worker', auto: true, timeout: 90_000 },
  ],
  storefront: async ({ page }, use) => use(new Storefront(page)),
  cart: async ({ page }, use) => use(new CartPage(page)),
  orders: async ({ page }, use) => use(new OrdersPage(page)),
  search: async ({ page }, use) => use(new SearchPage(page)),
  orderSearch: async ({ page }, use) => use(new OrderSearch(page)),
  orderTimeTravel: async ({ page }, use) => use(new OrderTimeTravel(page)),
  order: async ({ page }, use) => use(new OrderPage(page)),
});

export { expect } from '@playwright/test';
