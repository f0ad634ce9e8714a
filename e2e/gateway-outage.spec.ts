import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startZeroSetupShop } from '../scripts/zero-setup-shop';
import { CartPage, Storefront } from './pages';
import { expect, test } from './fixtures';
import { authEnv } from './run-mode';

const root = fileURLToPath(new URL('..', import.meta.url));
// Beside the run's own data folder (scripts/test.sh names it per run), so a run's leftovers share its name.
const dataDir = resolve(root, `${process.env.E2E_EMBEDDED_DATA_DIR ?? '.data/e2e-pglite'}-gateway-outage`);

/**
 * A zero-setup shop whose payment gateway does not answer (PAYMENTS_URL names a port nobody listens on):
 * checking out must say so, as the 503 the API answers, and place nothing. A shop of its own, since the one
 * under test runs its gateway inside itself. Its start-up is built apart from its routes by Next.js, which
 * once made this answer 500 with the client's raw message (server/db.ts, server/payments.ts).
 */
test('checking out while the payment gateway is down says so, charges nothing and keeps the cart @zero-setup', async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(dataDir, { recursive: true, force: true });
  const shop = await startZeroSetupShop({
    root,
    dataDir,
    // A port nothing listens on: the gateway is down.
    env: { PAYMENTS_URL: `http://127.0.0.1:${await freePort()}`, PAYMENTS_TIMEOUT_MS: '1000', ...authEnv },
  });
  const context = await browser.newContext({ baseURL: shop.baseUrl });
  try {
    await shop.serving(120_000);
    const page = await context.newPage();
    const storefront = new Storefront(page);
    const cart = new CartPage(page);
    await storefront.open();
    await storefront.shopAs('Maya Okafor');
    await storefront.filterByCategory('Kitchen');
    await storefront.addToCart('Blue Mug');
    await cart.open();

    await cart.submitCheckout();

    await expect(page.getByText('The payment service is not answering. Nothing was charged; please try again in a moment.')).toBeVisible();
    await expect(page.getByText(/has been placed/)).toBeHidden();
    await cart.expectLine('Blue Mug');
  } finally {
    await context.close();
    await shop.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

