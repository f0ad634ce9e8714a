import type { Page, Request } from '@playwright/test';
import { consistencyBanner } from './pages';
import { expect, test } from './fixtures';

/**
 * The banner clears because the web server pushed the read model's checkpoint (GET /api/progress), not
 * because the page polled: the `hindsight_polling=off` cookie switches the polling fallback off
 * (app/_consistency/progress.tsx), so without the push the banner would stay.
 */
test.beforeEach(async ({ context, baseURL }) => {
  await context.addCookies([{ name: 'hindsight_polling', value: 'off', url: baseURL! }]);
});

/** The order page's reads of its read models (tRPC batches name their procedures in the path). */
function orderReads(page: Page): Request[] {
  const reads: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.includes('orders.detail')) reads.push(request);
  });
  return reads;
}

test('the banner clears on push with polling disabled', async ({ page, storefront, cart, consumers }) => {
  await storefront.open();
  await storefront.shopAs('Maya Okafor');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Mug');
  await cart.open();
  await cart.expectLine('Blue Mug');
  // Held by staff, the order-detail read model is behind the order: the order page opens with the banner.
  await consumers.pause('order_detail');
  await cart.checkOut();

  const banner = consistencyBanner(page);
  await expect(banner).toHaveText(/Your order is being processed/);
  const reads = orderReads(page);
  await consumers.resume('order_detail');
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Blue Mug');
  await expect(banner).toBeHidden();
  // With polling off, what read the order again is the pushed checkpoint reaching it.
  expect(reads.length).toBeGreaterThan(0);
});

test('without the worker nothing polls, and the pushed checkpoint clears the banner once it is back @full-stack', async ({
  page,
  worker,
  storefront,
  cart,
}) => {
  await storefront.open();
  await storefront.shopAs('Liam Chen');
  await storefront.filterByCategory('Garden');
  await storefront.addToCart('Copper Trowel');
  await cart.open();
  await cart.expectLine('Copper Trowel');

  if (!worker) throw new Error('This test needs the full stack: a worker process to stop.');
  await worker.stop();
  const reads = orderReads(page);
  await cart.checkOut();
  const banner = consistencyBanner(page);
  await expect(banner).toHaveText(/being processed/);
  const readsWhileBehind = reads.length;
  // Ten seconds behind (the banner's bounded wait): polling would have read the order twenty times by now.
  await expect(banner).toHaveText(/Updates are delayed/, { timeout: 15_000 });
  expect(reads.length).toBe(readsWhileBehind);

  await worker.start();
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Copper Trowel');
  await expect(banner).toBeHidden();
});
