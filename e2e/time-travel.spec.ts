import { expect, test } from './fixtures';
import { processStepTimeout } from './run-mode';

test('the fulfillment process pays an order, and the shopper sees it as it was before the payment', async ({
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

  // Nobody presses "pay": the process charges the card. The History control reads the order's stream and
  // offers the payment as soon as the order page sees it.
  await expect(page.getByRole('list', { name: 'Progress' })).toContainText('Payment authorised', { timeout: processStepTimeout });
  await expect(orderTimeTravel.step('Payment received')).toBeVisible();
  await orderTimeTravel.show('Payment received');
  await orderTimeTravel.expectStatus('paid');

  await orderTimeTravel.show('Order placed');
  await orderTimeTravel.expectStatus('placed');
  await expect(orderTimeTravel.changes()).toContainText('Status: — → placed');

  await orderTimeTravel.show('Payment received');
  await orderTimeTravel.expectStatus('paid');
  await expect(orderTimeTravel.changes()).toContainText('Status: placed → paid');
});
