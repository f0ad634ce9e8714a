import { expect, test } from './fixtures';

test('a shopper pays an order, then sees it as it was before the payment', async ({
  page,
  storefront,
  cart,
  orderTimeTravel,
}) => {
  await storefront.open();
  await storefront.shopAs('Liam Chen');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Teapot');
  await cart.open();
  await cart.expectLine('Blue Teapot');
  await cart.checkOut();

  // The button waits for the order page's read model; the History control reads the order's stream, so the
  // payment is there as soon as it is accepted, and as the latest step it is the one shown.
  await page.getByRole('region', { name: 'Order actions' }).getByRole('button', { name: 'Pay now' }).click();
  await expect(orderTimeTravel.step('Payment received')).toBeChecked();
  await orderTimeTravel.expectStatus('paid');

  await orderTimeTravel.show('Order placed');
  await orderTimeTravel.expectStatus('placed');
  await expect(orderTimeTravel.changes()).toContainText('Status: — → placed');

  await orderTimeTravel.show('Payment received');
  await orderTimeTravel.expectStatus('paid');
  await expect(orderTimeTravel.changes()).toContainText('Status: placed → paid');
});
