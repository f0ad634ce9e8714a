import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { newShopper, signIn, signOut, signUp } from './pages';

/** Adds the first product of the home page to the cart; answers its name. */
async function addFirstProduct(page: Page): Promise<string> {
  await page.goto('/');
  const first = page.getByRole('list', { name: 'Products' }).getByRole('listitem').first();
  const name = (await first.getByRole('link').first().textContent())!.trim();
  await first.getByRole('button', { name: `Add ${name} to cart` }).click();
  await expect(first.getByText('Added.')).toBeVisible();
  return name;
}

test('a shopper signs up, signs out and signs in again with the password', async ({ page }) => {
  const shopper = newShopper();
  await signUp(page, shopper);
  await signOut(page);
  await signIn(page, shopper);

  await test.step('a wrong password is refused with a message, and the email stays typed', async () => {
    await signOut(page);
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: 'Sign in with your password' });
    await form.getByLabel('Email').fill(shopper.email);
    await form.getByLabel('Password').fill('not my password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await expect(form.getByText('That email and password do not match an account.')).toBeVisible();
    await expect(form.getByLabel('Email')).toHaveValue(shopper.email);
  });
});

test('a shopper signs in by a link read from the mailbox', async ({ page }) => {
  const email = `link-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto('/sign-in?returnTo=/orders');
  const form = page.getByRole('form', { name: 'Sign in with a link by mail' });
  await form.getByLabel('Email').fill(email);
  await form.getByRole('button', { name: 'Mail me a sign-in link' }).click();
  await expect(page.getByRole('status').filter({ hasText: `We sent a sign-in link to ${email}` })).toBeVisible();

  await page.getByRole('status').getByRole('link', { name: 'development mailbox' }).click();
  await page.getByRole('link', { name: /Your sign-in link for Hindsight/ }).filter({ hasText: email }).first().click();
  // The text body's address, as a mail program shows it: a link.
  const link = page.getByRole('link', { name: /\/api\/auth\/magic-link\/verify\?token=/ });
  await expect(link).toBeVisible();
  await link.click();

  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test("a customer can neither open another customer's order nor act on it through the API", async ({ page, storefront, cart }) => {
  await storefront.open();
  await storefront.shopAs('Maya Okafor');
  await addFirstProduct(page);
  await cart.open();
  await cart.checkOut();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}/);
  const orderUrl = new URL(page.url()).pathname;
  const orderId = orderUrl.split('/').at(-1)!;

  await signOut(page);
  await storefront.shopAs('Liam Chen');
  const response = await page.goto(orderUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/not found/i);

  const cancel = await page.request.post('/api/trpc/orders.cancel', {
    data: { json: { idempotencyKey: randomUUID(), orderId, reason: 'Not mine to cancel' } },
  });
  expect(cancel.status()).toBe(404);

  await signOut(page);
  await storefront.shopAs('Maya Okafor');
  await page.goto(orderUrl);
  await expect(page.getByRole('region', { name: 'Order summary' })).not.toContainText('cancelled');
});

test('a customer is refused the back office with 403, and a visitor is sent to sign in', async ({ page, storefront }) => {
  const visitor = await page.goto('/back-office');
  expect(visitor?.status()).toBe(401);
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fback-office/);

  await storefront.open();
  await storefront.shopAs('Sofia Rossi');
  const refused = await page.goto('/back-office');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('main')).toContainText(/staff/i);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Back office' })).toHaveCount(0);
});

test('staff restock a product, and the storefront shows the new stock', async ({ page, storefront }) => {
  await storefront.open();
  await storefront.shopAs('Noor Haddad');
  await page.getByRole('banner').getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Catalog' }).click();
  const row = page.getByRole('table', { name: 'Products' }).getByRole('row').nth(3);
  const name = (await row.getByRole('link').first().textContent())!.trim();
  const productPath = await row.getByRole('link').first().getAttribute('href');

  await page.goto(productPath!);
  const before = Number((await page.getByText(/\d+ in stock/).first().textContent())!.match(/(\d+) in stock/)![1]);

  await page.goBack();
  await row.getByLabel(`Units of ${name} to add`).fill('7');
  await row.getByRole('button', { name: 'Add stock' }).click();
  await expect(row.getByRole('status')).toContainText('Saved');

  await page.goto(productPath!);
  await expect(page.getByText(`${before + 7} in stock`).first()).toBeVisible();
});

test("a guest's cart joins the account on sign-in, and the cart follows the shopper to another browser", async ({ page, browser }) => {
  const shopper = newShopper();
  await signUp(page, shopper);
  await signOut(page);

  const product = await test.step('fill a cart as a guest', async () => addFirstProduct(page));
  await expect(page.getByRole('banner').getByRole('link', { name: /Cart, 1 item/ })).toBeVisible();

  await test.step('sign in: the guest cart is the account cart now', async () => {
    await signIn(page, shopper);
    await page.getByRole('banner').getByRole('link', { name: /Cart/ }).click();
    await expect(page.getByRole('link', { name: product })).toBeVisible();
  });

  await test.step('the same cart in a second browser', async () => {
    const second = await browser.newContext();
    const other = await second.newPage();
    await other.goto('/');
    await signIn(other, shopper);
    await other.getByRole('banner').getByRole('link', { name: /Cart/ }).click();
    await expect(other.getByRole('link', { name: product })).toBeVisible();
    await second.close();
  });
});

test('every page fits a phone: nothing scrolls sideways at 390 px', async ({ page, storefront, cart }) => {
  // Twenty pages and a checkout: more than the default half minute on the full stack, by design of the test.
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 390, height: 844 });
  const visited: string[] = [];
  async function expectNoSidewaysScroll(path: string) {
    await test.step(`${path} fits`, async () => {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth, `${path} is ${scrollWidth} px wide at ${clientWidth} px`).toBeLessThanOrEqual(clientWidth);
      visited.push(path);
    });
  }

  for (const path of ['/', '/search?q=tea', '/sign-in', '/sign-up', '/mailbox', '/no-such-page']) await expectNoSidewaysScroll(path);
  await page.goto('/');
  const productPath = await page.getByRole('list', { name: 'Products' }).getByRole('listitem').first().getByRole('link').first().getAttribute('href');
  await expectNoSidewaysScroll(productPath!);

  await storefront.shopAs('Noor Haddad');
  await addFirstProduct(page);
  await cart.open();
  await expectNoSidewaysScroll('/cart');
  await cart.checkOut();
  const orderPath = new URL(page.url()).pathname;
  await expectNoSidewaysScroll(orderPath);
  await expectNoSidewaysScroll('/orders');

  // Every page of the back office, as its own menu lists them.
  await page.goto('/back-office');
  const menu = page.getByRole('navigation', { name: 'Back office' });
  const paths = [...new Set(await menu.getByRole('link').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname)))];
  expect(paths.length).toBeGreaterThan(3);
  for (const path of paths) await expectNoSidewaysScroll(path);
  await expectNoSidewaysScroll(`/back-office/orders/${orderPath.split('/').at(-1)}`);
  expect(visited.length).toBeGreaterThan(12);
});
