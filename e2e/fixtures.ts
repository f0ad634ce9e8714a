import { test as base } from '@playwright/test';
import { CartPage, ConsumerConsole, OrderPage, OrderSearch, OrdersPage, OrderTimeTravel, ProductPage, SalesPage, SearchPage, Storefront } from './pages';
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
  product: ProductPage;
  sales: SalesPage;
  /** The Status page in a staff member's own browser, to pause and resume consumers while a shopper acts. */
  consumers: ConsumerConsole;
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
  product: async ({ page }, use) => use(new ProductPage(page)),
  sales: async ({ page }, use) => use(new SalesPage(page)),
  consumers: async ({ browser, baseURL }, use) => {
    // A context of its own: staff and the shopper are signed in side by side, as two people would be.
    const context = await browser.newContext({ baseURL });
    const consumers = new ConsumerConsole(await context.newPage());
    try {
      await use(consumers);
    } finally {
      // Even when the test failed: a consumer left paused would hold every later test's page behind.
      await consumers.resumeAll();
      await context.close();
    }
  },
});

/**
 * The widths every shopper flow is run at: a laptop's, and a phone's (390 px, the narrowest current phones).
 * A spec runs its flows once per width: `for (const { name, viewport } of widths) test.describe(name, …)`.
 */
export const widths = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

export { expect } from '@playwright/test';
