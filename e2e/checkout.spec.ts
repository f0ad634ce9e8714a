import { consistencyBanner } from './pages';
import { expect, test } from './fixtures';

test('a shopper checks out and watches the order history catch up', async ({ page, storefront, cart, orders }) => {
  await storefront.open();
  await storefront.shopAs('Maya Okafor');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Mug');

  await cart.open();
  await cart.expectLine('Blue Mug');
  await cart.checkOut();

  // The order page reads the order-detail read model, which the worker has not reached yet.
  const banner = consistencyBanner(page);
  await expect(banner).toHaveText(/Your order is being processed; this page updates by itself/);
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Blue Mug');
  await expect(banner).toBeHidden();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Order placed');

  await orders.open();
  await expect(orders.orderRow('Blue Mug')).toBeVisible();
  await expect(banner).toBeHidden();
  await orders.orderRow('Blue Mug').getByRole('link').click();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('OrderPlaced');
});

test('the banner says when the worker is down, and the page catches up when it is back @full-stack', async ({
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
  await cart.checkOut();
  const banner = consistencyBanner(page);
  await expect(banner).toHaveText(/being processed/);
  // The banner switches after its bounded wait (10 s) instead of spinning forever.
  await expect(banner).toHaveText(/Updates are delayed/, { timeout: 15_000 });
  await expect(page.getByRole('table', { name: 'Order lines' })).toBeHidden();

  await worker.start();
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Copper Trowel');
  await expect(banner).toBeHidden();
});
