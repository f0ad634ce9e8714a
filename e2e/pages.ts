import { expect, test, type Locator, type Page } from '@playwright/test';

/** The banner a page shows while its read model has not caught up with the browser's last command. */
export function consistencyBanner(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /being processed|Updates are delayed/ });
}

export class Storefront {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await test.step('open the storefront', async () => {
      await this.page.goto('/');
      await expect(this.page.getByRole('heading', { name: 'All products' })).toBeVisible();
    }, { box: true });
  }

  async shopAs(customer: string): Promise<void> {
    await test.step(`shop as ${customer}`, async () => {
      await this.page.getByLabel('Shopping as').selectOption({ label: customer });
      await expect(this.page.getByLabel('Shopping as').locator('option:checked')).toHaveText(customer);
    }, { box: true });
  }

  async filterByCategory(category: string): Promise<void> {
    await test.step(`filter by ${category}`, async () => {
      await this.page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: category }).click();
      await expect(this.page.getByRole('heading', { level: 1, name: category })).toBeVisible();
    }, { box: true });
  }

  async addToCart(product: string): Promise<void> {
    await test.step(`add ${product} to the cart`, async () => {
      await this.page.getByRole('button', { name: `Add ${product} to cart` }).click();
      await expect(this.page.getByText('Added.')).toBeVisible();
    }, { box: true });
  }
}

export class CartPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await test.step('open the cart', async () => {
      await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cart' }).click();
      await expect(this.page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
    }, { box: true });
  }

  async expectLine(product: string): Promise<void> {
    await test.step(`see ${product} in the cart`, async () => {
      await expect(this.page.getByRole('link', { name: product })).toBeVisible();
      await expect(this.page.getByRole('button', { name: 'Check out' })).toBeEnabled();
    }, { box: true });
  }

  async checkOut(): Promise<void> {
    await test.step('check out', async () => {
      await this.page.getByRole('button', { name: 'Check out' }).click();
      await expect(this.page.getByText(/Your order #\w+ has been placed/)).toBeVisible();
    }, { box: true });
  }
}

export class OrdersPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await test.step('open the order history', async () => {
      await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
      await expect(this.page.getByRole('heading', { name: 'Your orders' })).toBeVisible();
    }, { box: true });
  }

  orderRow(product: string): Locator {
    return this.page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: product });
  }
}
