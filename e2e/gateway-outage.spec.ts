import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CartPage, Storefront } from './pages';
import { expect, test } from './fixtures';
import { authEnv } from './run-mode';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.E2E_OUTAGE_PORT ?? 3298);
const dataDir = '.data/e2e-gateway-outage';

/**
 * A zero-setup shop whose payment gateway does not answer (PAYMENTS_URL names a port nobody listens on):
 * checking out must say so, as the 503 the API answers, and place nothing. A shop of its own, since the one
 * under test runs its gateway inside itself. Its start-up is built apart from its routes by Next.js, which
 * once made this answer 500 with the client's raw message (server/db.ts, server/payments.ts).
 */
test('checking out while the payment gateway is down says so, charges nothing and keeps the cart @zero-setup', async ({ browser }) => {
  test.setTimeout(180_000);
  rmSync(`${root}/${dataDir}`, { recursive: true, force: true });
  const shop = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '--port', String(port)], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      ELASTICSEARCH_URL: '',
      NATS_URL: '',
      SMTP_URL: '',
      PAYMENTS_URL: `http://127.0.0.1:${port + 1}`,
      PAYMENTS_TIMEOUT_MS: '1000',
      EMBEDDED_DATA_DIR: dataDir,
      ...authEnv,
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    await expect(async () => {
      expect((await context.request.get('/api/trpc/session.current')).ok()).toBe(true);
    }).toPass({ timeout: 120_000 });
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
    await stop(shop);
    rmSync(`${root}/${dataDir}`, { recursive: true, force: true });
  }
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
