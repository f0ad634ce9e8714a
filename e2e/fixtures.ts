import { test as base } from '@playwright/test';
import { CartPage, OrderSearch, OrdersPage, OrderTimeTravel, SearchPage, Storefront } from './pages';
import { WorkerProcess } from './worker';
import { consumerDelayMs, type RunMode } from './run-mode';

const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';

type Fixtures = {
  storefront: Storefront;
  cart: CartPage;
  orders: OrdersPage;
  search: SearchPage;
  orderSearch: OrderSearch;
  orderTimeTravel: OrderTimeTravel;
};
type WorkerFixtures = {
  /** Set by the config: which way the shop under test was started. */
  runMode: RunMode;
  /** The full stack's worker process; null in zero-setup mode, where the web server runs every consumer. */
  worker: WorkerProcess | null;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  runMode: ['full-stack', { scope: 'worker', option: true }],
  worker: [
    async ({ runMode }, use) => {
      if (runMode === 'zero-setup') return use(null);
      const worker = new WorkerProcess({ databaseUrl, indexPrefix, delayMs: consumerDelayMs });
      await worker.start();
      await use(worker);
      await worker.stop();
    },
    { scope: 'worker', auto: true },
  ],
  storefront: async ({ page }, use) => use(new Storefront(page)),
  cart: async ({ page }, use) => use(new CartPage(page)),
  orders: async ({ page }, use) => use(new OrdersPage(page)),
  search: async ({ page }, use) => use(new SearchPage(page)),
  orderSearch: async ({ page }, use) => use(new OrderSearch(page)),
  orderTimeTravel: async ({ page }, use) => use(new OrderTimeTravel(page)),
});

export { expect } from '@playwright/test';
