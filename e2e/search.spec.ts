import { consistencyBanner } from './pages';
import { expect, test } from './fixtures';

test('a shopper finds a product by search, buys it, and finds the order by its name', async ({
  page,
  storefront,
  search,
  cart,
  orders,
  orderSearch,
}) => {
  await storefront.open();
  await storefront.shopAs('Sofia Rossi');

  // Full text in both modes: Elasticsearch with the full stack, PostgreSQL full text in zero-setup mode.
  await search.search('walnut teapot');
  const result = search.results().getByRole('listitem').filter({ hasText: 'Walnut Teapot' });
  await expect(result).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Filters' }).getByRole('link', { name: /Kitchen/ })).toBeVisible();
  await result.getByRole('button', { name: 'Add Walnut Teapot to cart' }).click();
  await expect(result.getByText('Added.')).toBeVisible();

  await cart.open();
  await cart.expectLine('Walnut Teapot');
  await cart.checkOut();
  await expect(page.getByRole('table', { name: 'Order lines' })).toContainText('Walnut Teapot');

  await orders.open();
  await orderSearch.find('teapot');
  // The orders index is its own read model with its own checkpoint: its banner, if any, goes by itself.
  await expect(orderSearch.matches()).toContainText('Walnut Teapot');
  await expect(consistencyBanner(page)).toBeHidden();
  await orderSearch.matches().getByRole('link').first().click();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Order placed');
});
