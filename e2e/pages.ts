import { expect, test, type Locator, type Page } from '@playwright/test';

/** The banner a page shows while its read model has not caught up with the browser's last command. */
export function consistencyBanner(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /being processed|Updates are delayed/ });
}

/** The demo accounts the sign-in page of a development shop lists, and their password. */
export async function demoAccount(page: Page, name: string): Promise<{ email: string; password: string }> {
  const demo = page.getByRole('region', { name: 'Demo accounts' });
  const email = await demo.getByRole('listitem').filter({ hasText: name }).locator('code').textContent();
  const password = await demo.getByRole('paragraph').locator('code').textContent();
  if (!email || !password) throw new Error(`the sign-in page lists no demo account ${name}`);
  return { email, password };
}

/**
 * Signs in from the header's link, with the password, and waits to be back on the page it started from,
 * signed in. `account` is a demo account's name, or an email and password.
 */
export async function signIn(page: Page, account: string | { email: string; password: string; name: string }): Promise<void> {
  const header = page.getByRole('banner');
  await header.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  const { email, password } = typeof account === 'string' ? await demoAccount(page, account) : account;
  const form = page.getByRole('form', { name: 'Sign in with your password' });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(header.getByText(typeof account === 'string' ? account : account.name)).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  const header = page.getByRole('banner');
  await header.getByRole('button', { name: 'Sign out' }).click();
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

export class Storefront {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await test.step('open the storefront', async () => {
      await this.page.goto('/');
      await expect(this.page.getByRole('heading', { name: 'All products' })).toBeVisible();
    }, { box: true });
  }

  /** Signs in as a demo account, by the name the sign-in page lists it under, and comes back to this page. */
  async shopAs(customer: string): Promise<void> {
    await test.step(`sign in as ${customer}`, async () => {
      await signIn(this.page, customer);
      await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
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

  /** Checks out to a fixed address with a test card: by default the one the gateway approves. */
  async checkOut(cardNumber = '4242 4242 4242 4242'): Promise<void> {
    await test.step(`check out, paying with ${cardNumber}`, async () => {
      await this.submitCheckout(cardNumber);
      await expect(this.page.getByText(/Your order #\w+ has been placed/)).toBeVisible();
    }, { box: true });
  }

  /** Fills the checkout form with a fixed address and a test card and sends it, whatever the answer. */
  async submitCheckout(cardNumber = '4242 4242 4242 4242'): Promise<void> {
    await test.step(`send the checkout, paying with ${cardNumber}`, async () => {
      const checkout = this.page.getByRole('form', { name: 'Checkout' });
      const address = checkout.getByRole('group', { name: 'Shipping address' });
      await address.getByLabel('Full name').fill('Jamie Doe');
      await address.getByLabel('Street and house number').fill('12 Canal Street');
      await address.getByLabel('Postal code').fill('3511 AA');
      await address.getByLabel('City').fill('Utrecht');
      await address.getByLabel('Country').selectOption({ label: 'Netherlands' });
      const card = checkout.getByRole('group', { name: 'Card' });
      await card.getByLabel('Card number').fill(cardNumber);
      await card.getByLabel('Expiry (MM/YY)').fill('12/34');
      await card.getByLabel('Security code').fill('123');
      await checkout.getByRole('button', { name: 'Check out' }).click();
    }, { box: true });
  }
}

/** One order's page: its progress, which follows the order by itself, and cancelling it. */
export class OrderPage {
  /** What the shopper is told happened to the order, oldest first. */
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.progress = page.getByRole('list', { name: 'Progress' });
  }

  async cancel(reason: string): Promise<void> {
    await test.step(`cancel the order: "${reason}"`, async () => {
      const actions = this.page.getByRole('region', { name: 'Order actions' });
      await actions.getByLabel('Reason').fill(reason);
      await actions.getByRole('button', { name: 'Cancel order' }).click();
      await expect(this.page.getByRole('region', { name: 'Order summary' })).toContainText('Status: cancelled');
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

export class SearchPage {
  constructor(readonly page: Page) {}

  async search(text: string): Promise<void> {
    await test.step(`search the shop for "${text}"`, async () => {
      const box = this.page.getByRole('search', { name: 'Site' });
      // The header re-renders once more after picking a customer, which can clear a box typed into just
      // before; typing and submitting again is what a person would do.
      await expect(async () => {
        await box.getByRole('searchbox', { name: 'Search products' }).fill(text);
        await box.getByRole('button', { name: 'Search' }).click();
        await expect(this.page.getByRole('heading', { name: `Results for “${text}”` })).toBeVisible({ timeout: 3_000 });
      }).toPass({ timeout: 15_000 });
    }, { box: true });
  }

  results(): Locator {
    return this.page.getByRole('region', { name: 'Search results' });
  }
}

export class OrderSearch {
  constructor(readonly page: Page) {}

  async find(productName: string): Promise<void> {
    await test.step(`find orders containing "${productName}"`, async () => {
      const form = this.page.getByRole('search', { name: 'Orders' });
      await form.getByRole('searchbox', { name: 'Product name' }).fill(productName);
      await form.getByRole('button', { name: 'Find orders' }).click();
      await expect(this.page.getByRole('heading', { name: 'Find your orders' })).toBeVisible();
    }, { box: true });
  }

  matches(): Locator {
    return this.page.getByRole('table', { name: 'Matching orders' });
  }
}

/** The order page's History control: the order as it was after each of its steps. */
export class OrderTimeTravel {
  constructor(readonly page: Page) {}

  private history(): Locator {
    return this.page.getByRole('region', { name: 'History' });
  }

  /** The choice of one step, by its name as the page words it ("Order placed", "Payment received", …). */
  step(name: string): Locator {
    return this.history().getByRole('group', { name: 'See this order as it was after' }).getByRole('radio', { name });
  }

  async show(step: string): Promise<void> {
    await test.step(`see the order as it was after "${step}"`, async () => {
      await this.step(step).check();
      await expect(this.step(step)).toBeChecked();
    }, { box: true });
  }

  async expectStatus(status: string): Promise<void> {
    await test.step(`see that the order was ${status} then`, async () => {
      await expect(this.history().getByRole('region', { name: 'The order then' })).toContainText(`Status: ${status}`);
    }, { box: true });
  }

  changes(): Locator {
    return this.history().getByRole('list', { name: 'What this step changed' });
  }
}
