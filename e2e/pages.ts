import { randomUUID } from 'node:crypto';
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

/** A new shopper's details; every test that signs up gets an account of its own. */
export function newShopper() {
  const id = randomUUID().slice(0, 8);
  return { name: `Robin ${id}`, email: `robin-${id}@example.com`, password: `pass-${id}-word` };
}

/** Creates the account on the sign-up page and waits to be signed in with it. */
export async function signUp(page: Page, shopper: ReturnType<typeof newShopper>): Promise<void> {
  await test.step(`sign up as ${shopper.email}`, async () => {
    await page.goto('/sign-up');
    const form = page.getByRole('form', { name: 'Create an account' });
    await form.getByLabel('Name').fill(shopper.name);
    await form.getByLabel('Email').fill(shopper.email);
    await form.getByLabel('Password').fill(shopper.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('banner').getByText(shopper.name)).toBeVisible();
  });
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
      const add = this.page.getByRole('button', { name: `Add ${product} to cart` });
      // The card's own "Added.": another card added to before says so too.
      const card = this.products().filter({ has: add });
      await add.click();
      await expect(card.getByText('Added.')).toBeVisible();
    }, { box: true });
  }

  /** The product cards of the page shown, in order. */
  products(): Locator {
    return this.page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  }

  /** The names of the products shown, in order. */
  async productNames(): Promise<string[]> {
    return (await this.products().getByRole('link').allInnerTexts()).map((name) => name.trim());
  }

  /** The line above the cards: "25–48 of 306 products". */
  shownRange(): Locator {
    return this.page.getByRole('region', { name: 'Products' }).getByText(/^\d+–\d+ of \d+ products$/);
  }

  pager(): Locator {
    return this.page.getByRole('navigation', { name: 'Pages' });
  }

  async goToPage(page: number): Promise<void> {
    await test.step(`go to page ${page}`, async () => {
      const link = this.pager().getByRole('link', { name: `Page ${page}`, exact: true });
      await link.click();
      await expect(link).toHaveAttribute('aria-current', 'page');
    }, { box: true });
  }

  /** Follows the pager's "Next" or "Previous" link, and waits for the page after or before this one. */
  async step(direction: 'Next' | 'Previous'): Promise<void> {
    await test.step(`go to the ${direction.toLowerCase()} page`, async () => {
      const current = Number(await this.pager().locator('[aria-current="page"]').innerText());
      await this.pager().getByRole('link', { name: direction }).click();
      const expected = direction === 'Next' ? current + 1 : current - 1;
      await expect(this.pager().getByRole('link', { name: `Page ${expected}`, exact: true })).toHaveAttribute('aria-current', 'page');
    }, { box: true });
  }

  async sortBy(order: 'Name' | 'Price: low to high' | 'Price: high to low' | 'Newest'): Promise<void> {
    await test.step(`sort by ${order}`, async () => {
      const menu = this.page.getByRole('combobox', { name: 'Sort by' });
      await menu.selectOption({ label: order });
      await expect(menu.locator('option:checked')).toHaveText(order);
    }, { box: true });
  }

  async openProduct(product: string): Promise<void> {
    await test.step(`open ${product}`, async () => {
      await this.page.getByRole('list', { name: 'Products' }).getByRole('link', { name: product, exact: true }).click();
      await expect(this.page.getByRole('heading', { level: 1, name: product })).toBeVisible();
    }, { box: true });
  }

  /** The header's cart link, named by what the cart holds ("Cart, 3 items", "Cart, empty"). */
  cartLink(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Cart/ });
  }
}

/** One product's page: what the catalog says of it, and adding some of it to the cart. */
export class ProductPage {
  constructor(readonly page: Page) {}

  details(): Locator {
    return this.page.getByRole('article');
  }

  async addToCart(product: string, quantity: number): Promise<void> {
    await test.step(`add ${quantity} × ${product} to the cart`, async () => {
      await this.details().getByRole('combobox', { name: `Quantity of ${product}` }).selectOption(String(quantity));
      await this.details().getByRole('button', { name: `Add ${product} to cart` }).click();
      await expect(this.details().getByRole('status')).toContainText('Added.');
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

  /** The cart's lines, one row per product. */
  lines(): Locator {
    return this.page.getByRole('table', { name: 'Cart lines' }).getByRole('row').filter({ has: this.page.getByRole('combobox') });
  }

  line(product: string): Locator {
    return this.lines().filter({ has: this.page.getByRole('link', { name: product, exact: true }) });
  }

  /** The foot of the table: "Total (3 items) $54.00". */
  total(): Locator {
    return this.page.getByRole('table', { name: 'Cart lines' }).getByRole('row').filter({ hasText: /^Total/ });
  }

  async changeQuantity(product: string, quantity: number): Promise<void> {
    await test.step(`change the quantity of ${product} to ${quantity}`, async () => {
      const menu = this.line(product).getByRole('combobox', { name: `Quantity of ${product}` });
      await menu.selectOption(String(quantity));
      // The line shows the carts read model: the new quantity once it has caught up with the change.
      await expect(menu).toHaveValue(String(quantity));
      await expect(consistencyBanner(this.page)).toBeHidden();
    }, { box: true });
  }

  async remove(product: string): Promise<void> {
    await test.step(`remove ${product} from the cart`, async () => {
      await this.line(product).getByRole('button', { name: `Remove ${product}` }).click();
      await expect(this.line(product)).toHaveCount(0);
    }, { box: true });
  }

  async expectEmpty(): Promise<void> {
    await test.step('see that the cart is empty', async () => {
      await expect(this.page.getByRole('main')).toContainText('Your cart is empty.');
      await expect(this.page.getByRole('table', { name: 'Cart lines' })).toBeHidden();
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

  /** What the shopper can still do with the order; gone once it can no longer be cancelled. */
  actions(): Locator {
    return this.page.getByRole('region', { name: 'Order actions' });
  }

  summary(): Locator {
    return this.page.getByRole('region', { name: 'Order summary' });
  }

  /** The order's number as its heading shows it ("3f2a9c1b"). */
  async number(): Promise<string> {
    return (await this.page.getByRole('heading', { level: 1 }).innerText()).replace('Order #', '');
  }

  async cancel(reason: string): Promise<void> {
    await test.step(`cancel the order: "${reason}"`, async () => {
      await this.actions().getByLabel('Reason').fill(reason);
      await this.actions().getByRole('button', { name: 'Cancel order' }).click();
      await expect(this.summary()).toContainText('Status: cancelled');
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

  /** The order rows of a table of orders (the header row left out): by default the history's. */
  rows(table = 'Orders'): Locator {
    return this.page.getByRole('table', { name: table, exact: true }).getByRole('row').filter({ has: this.page.getByRole('link') });
  }

  /** A status filter's link, named with its count: "Cancelled (1)"; "All" for every order. */
  statusFilter(status: string): Locator {
    return this.page.getByRole('navigation', { name: 'Filter by status' }).getByRole('link', { name: new RegExp(`^${status} \\(\\d+\\)$`) });
  }

  async filterByStatus(status: string): Promise<void> {
    await test.step(`show only the ${status.toLowerCase()} orders`, async () => {
      await this.statusFilter(status).click();
      await expect(this.statusFilter(status)).toHaveAttribute('aria-current', 'page');
    }, { box: true });
  }

  /** Shows the orders as they stood at the end of `day` (YYYY-MM-DD, UTC). */
  async showAsOf(day: string): Promise<void> {
    await test.step(`see the orders as they were at the end of ${day}`, async () => {
      const form = this.page.getByRole('form', { name: 'Orders as they were' });
      await form.getByLabel('As of').fill(day);
      await form.getByRole('button', { name: 'Show' }).click();
      await expect(this.page.getByRole('heading', { level: 1, name: /^Your orders as of / })).toBeVisible();
    }, { box: true });
  }
}

/**
 * The back office's Status page, open in a browser of staff's own: they pause the consumer a page reads (the
 * shopper's page then stays behind its read model, and shows the banner, for as long as it is paused) and
 * resume it. Whatever a test pauses is resumed when it ends (fixtures.ts), so no other test finds it paused.
 */
export class ConsumerConsole {
  private readonly paused = new Set<string>();
  private signedIn = false;

  constructor(readonly page: Page) {}

  /** A consumer's row; its name is that of the read model or process, with its version if it has one. */
  row(consumer: string): Locator {
    return this.page
      .getByRole('table', { name: 'Consumers' })
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: new RegExp(`^${consumer}(_v\\d+)?$`) }) });
  }

  private async open(): Promise<void> {
    if (!this.signedIn) {
      await this.page.goto('/');
      await signIn(this.page, 'Noor Haddad');
      this.signedIn = true;
    }
    await this.page.goto('/back-office/status');
    await expect(this.page.getByRole('table', { name: 'Consumers' })).toBeVisible();
  }

  /**
   * Pauses a consumer and waits until its holder has let it go, after the batch in hand: from then on it
   * applies nothing until resumed, in the worker process (full stack) as in the web server (zero setup).
   */
  async pause(consumer: string): Promise<void> {
    await test.step(`staff pause ${consumer}`, async () => {
      await this.open();
      const row = this.row(consumer);
      await row.getByRole('button', { name: /^Pause / }).click();
      this.paused.add(consumer);
      await expect(row.getByRole('button', { name: /^Resume / })).toBeVisible();
      // The status refreshes every 3 s; the holder lets go within a heartbeat of the batch in hand.
      await expect(row.getByRole('cell', { name: 'nobody (paused)' })).toBeVisible({ timeout: 15_000 });
    }, { box: true });
  }

  async resume(consumer: string): Promise<void> {
    await test.step(`staff resume ${consumer}`, async () => {
      await this.open();
      const row = this.row(consumer);
      await row.getByRole('button', { name: /^Resume / }).click();
      await expect(row.getByRole('button', { name: /^Pause / })).toBeVisible();
      this.paused.delete(consumer);
    }, { box: true });
  }

  /** Resumes whatever this console paused and did not resume. */
  async resumeAll(): Promise<void> {
    for (const consumer of [...this.paused]) await this.resume(consumer);
  }
}

/** The back office's daily sales: a range of days, its totals, and the sales per product and per day. */
export class SalesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await test.step('open the daily sales', async () => {
      await this.page.getByRole('banner').getByRole('link', { name: 'Back office' }).click();
      await this.page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Sales' }).click();
      await expect(this.page.getByRole('heading', { level: 1, name: 'Sales' })).toBeVisible();
    }, { box: true });
  }

  /** Shows the days from `from` to `to` (YYYY-MM-DD, UTC, both included). */
  async showRange(from: string, to: string): Promise<void> {
    await test.step(`show the sales from ${from} to ${to}`, async () => {
      const form = this.page.getByRole('form', { name: 'Sales range' });
      await form.getByLabel('From', { exact: true }).fill(from);
      await form.getByLabel('to', { exact: true }).fill(to);
      await form.getByRole('button', { name: 'Show' }).click();
      await expect(this.page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
    }, { box: true });
  }

  perProduct(): Locator {
    return this.page.getByRole('table', { name: 'Sales per product' });
  }

  perDay(): Locator {
    return this.page.getByRole('table', { name: 'Sales per day' });
  }
}

export class SearchPage {
  constructor(readonly page: Page) {}

  async search(text: string): Promise<void> {
    await test.step(`search the shop for "${text}"`, async () => {
      const box = this.page.getByRole('search', { name: 'Site' });
      await box.getByRole('searchbox', { name: 'Search products' }).fill(text);
      await box.getByRole('button', { name: 'Search' }).click();
      await expect(this.page.getByRole('heading', { name: `Results for “${text}”` })).toBeVisible();
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
