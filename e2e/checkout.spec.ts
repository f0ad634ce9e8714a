import { consistencyBanner } from './pages';
import { expect, test } from './fixtures';

test('a shopper checks out and watches the order page and history catch up', async ({ page, storefront, cart, orders, consumers }) => {
  await storefront.open();
  await storefront.shopAs('Maya Okafor');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Mug');

  await cart.open();
  await cart.expectLine('Blue Mug');
  // Staff hold the order-detail read model, which the order page reads: it cannot reach the new order yet.
  await consumers.pause('order_detail');
  await cart.checkOut();

  const banner = consistencyBanner(page);
  await expect(banner).toHaveText(/Your order is being processed; this page updates by itself/);
  await expect(page.getByRole('table', { name: 'Order lines' })).toBeHidden();
  await consumers.resume('order_detail');
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Blue Mug');
  await expect(banner).toBeHidden();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Order placed');
  await expect(page.getByRole('region', { name: 'Order summary' })).toContainText(
    'Ships to: Jamie Doe, 12 Canal Street, 3511 AA Utrecht, Netherlands',
  );

  await orders.open();
  await expect(orders.orderRow('Blue Mug')).toBeVisible();
  await expect(banner).toBeHidden();
  await orders.orderRow('Blue Mug').getByRole('link').click();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Order placed');
});

test('the checkout says which part of the address is missing, and places nothing', async ({ page, storefront, cart }) => {
  await storefront.open();
  await storefront.shopAs('Sofia Rossi');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Mug');
  await cart.open();

  const checkout = page.getByRole('form', { name: 'Checkout' });
  const address = checkout.getByRole('group', { name: 'Shipping address' });
  const card = checkout.getByRole('group', { name: 'Card' });
  await address.getByLabel('Full name').fill('Sofia Rossi');
  await address.getByLabel('City').fill('Milano');
  await card.getByLabel('Card number').fill('4242 4242 4242 4242');
  await card.getByLabel('Expiry (MM/YY)').fill('1234');
  await checkout.getByRole('button', { name: 'Check out' }).click();

  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Please check the shipping address and the card details below.');
  await expect(address.getByLabel('Street and house number')).toHaveAccessibleDescription('Please enter the street and house number.');
  await expect(address.getByLabel('Postal code')).toHaveAccessibleDescription('Please enter the postal code.');
  await expect(address.getByLabel('Full name')).not.toHaveAttribute('aria-invalid');
  await expect(card.getByLabel('Expiry (MM/YY)')).toHaveAccessibleDescription('Please enter the expiry date as MM/YY.');
  await expect(card.getByLabel('Security code')).toHaveAccessibleDescription('Please enter the 3 or 4 digit security code.');
  await expect(card.getByLabel('Card number')).not.toHaveAttribute('aria-invalid');
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
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
