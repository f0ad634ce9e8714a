import { randomUUID } from 'node:crypto';
import { expect, test, widths } from './fixtures';

/** The prices of the cards shown, in order, in cents. */
async function shownPrices(cards: import('@playwright/test').Locator): Promise<number[]> {
  return (await cards.allInnerTexts()).map((text) => Math.round(Number(/\$(\d+\.\d\d)/.exec(text)![1]) * 100));
}

for (const { name, viewport } of widths) {
  test.describe(`storefront (${name})`, () => {
    test.use({ viewport });

    test('a visitor pages through the catalog, narrows it to a category and sorts it', async ({ page, storefront }) => {
      await storefront.open();
      await expect(storefront.shownRange()).toHaveText(/^1–24 of \d+ products$/);
      await expect(storefront.products()).toHaveCount(24);
      const firstPage = await storefront.productNames();

      await storefront.goToPage(2);
      await expect(page).toHaveURL(/\/\?page=2$/);
      await expect(storefront.shownRange()).toHaveText(/^25–48 of \d+ products$/);
      expect(await storefront.productNames()).not.toContain(firstPage[0]);
      await storefront.step('Next');
      await expect(storefront.shownRange()).toHaveText(/^49–72 of \d+ products$/);
      await storefront.step('Previous');
      await expect(storefront.shownRange()).toHaveText(/^25–48 of \d+ products$/);

      // A category starts again at its first page, and the count beside its name is the count of its products.
      const kitchen = page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: /^Kitchen/ });
      const kitchenCount = Number((await kitchen.innerText()).replace(/\D/g, ''));
      await storefront.filterByCategory('Kitchen');
      await expect(page).toHaveURL(/\/\?category=Kitchen$/);
      await expect(kitchen).toHaveAttribute('aria-current', 'page');
      await expect(storefront.shownRange()).toHaveText(`1–24 of ${kitchenCount} products`);
      await expect(storefront.products().filter({ hasNotText: 'Kitchen' })).toHaveCount(0);
      await expect(storefront.products().first()).toContainText('Bamboo Cutting Board');

      await storefront.sortBy('Price: low to high');
      await expect(page).toHaveURL(/category=Kitchen&sort=price_asc$/);
      const rising = await shownPrices(storefront.products());
      expect(rising).toEqual([...rising].sort((a, b) => a - b));

      await storefront.sortBy('Price: high to low');
      await expect(page).toHaveURL(/category=Kitchen&sort=price_desc$/);
      const falling = await shownPrices(storefront.products());
      expect(falling).toEqual([...falling].sort((a, b) => b - a));
      expect(falling[0]).toBeGreaterThanOrEqual(rising.at(-1)!);

      // The last page of the category holds the rest, and offers no next page; the sort is kept.
      await storefront.goToPage(2);
      await expect(page).toHaveURL(/category=Kitchen&sort=price_desc&page=2$/);
      await expect(storefront.shownRange()).toHaveText(`25–${kitchenCount} of ${kitchenCount} products`);
      await expect(storefront.pager().getByRole('link', { name: 'Next' })).toHaveCount(0);

      // Back to every product, still sorted by price.
      await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'All products' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible();
      await expect(page).toHaveURL(/\/\?sort=price_desc$/);
      await expect(storefront.shownRange()).toHaveText(/^1–24 of \d+ products$/);
    });

    test('a visitor reads a product’s page and adds some of it to the cart', async ({ page, storefront, product }) => {
      await storefront.open();
      await storefront.filterByCategory('Kitchen');
      await storefront.openProduct('Glass Teapot');
      await expect(page).toHaveURL(/\/products\/[0-9a-f-]{36}$/);
      await expect(page).toHaveTitle('Glass Teapot · Hindsight shop');
      await expect(product.details()).toContainText('Brews four cups and pours without a drip.');
      await expect(product.details()).toContainText(/\$\d+\.\d\d/);
      await expect(product.details()).toContainText(/In the shop since/);

      await product.addToCart('Glass Teapot', 2);
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, 2 items');

      await product.details().getByRole('link', { name: 'Kitchen' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Kitchen' })).toBeVisible();
      await storefront.openProduct('Glass Teapot');
      await page.getByRole('link', { name: '← Back to the shop' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible();
    });

    test('a visitor changes a quantity in the cart, removes a line, and empties the cart', async ({ storefront, cart }) => {
      await storefront.open();
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, empty');
      await storefront.filterByCategory('Kitchen');
      await storefront.addToCart('Enamel Camp Mug');
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, 1 item');
      await storefront.addToCart('Clay Teapot');
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, 2 items');

      await cart.open();
      await expect(cart.lines()).toHaveCount(2);
      await expect(cart.total()).toContainText('Total (2 items)');

      await cart.changeQuantity('Enamel Camp Mug', 3);
      await expect(cart.total()).toContainText('Total (4 items)');
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, 4 items');
      // The line's subtotal is its price times the new quantity.
      const [price, subtotal] = (await cart.line('Enamel Camp Mug').innerText()).match(/\$\d+\.\d\d/g)!;
      expect(Number(subtotal!.slice(1))).toBeCloseTo(3 * Number(price!.slice(1)), 2);

      await cart.remove('Clay Teapot');
      await expect(cart.lines()).toHaveCount(1);
      await expect(cart.total()).toContainText('Total (3 items)');

      await cart.remove('Enamel Camp Mug');
      await cart.expectEmpty();
      await expect(storefront.cartLink()).toHaveAccessibleName('Cart, empty');
    });

    test('an unknown address, product or order is a page that says it is not found', async ({ page, storefront }) => {
      const response = await page.goto('/no-such-page');
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
      await expect(page.getByRole('main')).toContainText('There is nothing at this address.');
      await page.getByRole('main').getByRole('link', { name: 'Back to the shop' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'All products' })).toBeVisible();

      for (const path of [`/products/${randomUUID()}`, '/products/not-a-product']) {
        await test.step(`open ${path}`, async () => {
          await page.goto(path);
          await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
          await expect(page).toHaveTitle('Not found · Hindsight shop');
        });
      }

      await storefront.open();
      await storefront.shopAs('Liam Chen');
      for (const path of [`/orders/${randomUUID()}`, '/orders/not-an-order']) {
        await test.step(`open ${path}`, async () => {
          await page.goto(path);
          await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
        });
      }
    });
  });
}
