import { test as base } from '@playwright/test';
import { CartPage, OrderSearch, OrdersPage, SearchPage, Storefront } from './pages';
import { ProjectorProcess } from './projector';

const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_e2e';
const indexPrefix = process.env.E2E_INDEX_PREFIX ?? 'hindsight_e2e';

/** Long enough for a person (and a test) to see the banner; short enough to keep the suite quick. */
const projectorDelayMs = 1_000;

type Fixtures = {
  storefront: Storefront;
  cart: CartPage;
  orders: OrdersPage;
  search: SearchPage;
  orderSearch: OrderSearch;
};
type WorkerFixtures = { projector: ProjectorProcess };

export const test = base.extend<Fixtures, WorkerFixtures>({
  projector: [
    async ({}, use) => {
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
