import { test as base } from '@playwright/test';
import { CartPage, OrderSearch, OrdersPage, SearchPage, Storefront } from './pages';
import { ProjectorProcess } from './projector';
import { projectorDelayMs, type RunMode } from './run-mode';

const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';

type Fixtures = {
  storefront: Storefront;
  cart: CartPage;
  orders: OrdersPage;
  search: SearchPage;
  orderSearch: OrderSearch;
};
type WorkerFixtures = {
  /** Set by the config: which way the shop under test was started. */
  runMode: RunMode;
  /** The full stack's projector process; null in zero-setup mode, where the web server runs the projectors. */
  projector: ProjectorProcess | null;
};

export const test = base.extend<Fixtures, WorkerFixtures>({
  runMode: ['full-stack', { scope: 'worker', option: true }],
  projector: [
    async ({ runMode }, use) => {
      if (runMode === 'zero-setup') return use(null);
      const projector = new ProjectorProcess({ databaseUrl, indexPrefix, delayMs: projectorDelayMs });
      await projector.start();
      await use(projector);
      await projector.stop();
    },
    { scope: 'worker', auto: true },
  ],
  storefront: async ({ page }, use) => use(new Storefront(page)),
  cart: async ({ page }, use) => use(new CartPage(page)),
  orders: async ({ page }, use) => use(new OrdersPage(page)),
  search: async ({ page }, use) => use(new SearchPage(page)),
  orderSearch: async ({ page }, use) => use(new OrderSearch(page)),
});

export { expect } from '@playwright/test';
