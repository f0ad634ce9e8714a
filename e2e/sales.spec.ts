import { expect, test, widths } from './fixtures';

const today = () => new Date().toISOString().slice(0, 10);
const longDay = (day: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00.000Z`));

/** The units the per-product table shows for a product; 0 when it is not listed. */
async function unitsSold(table: import('@playwright/test').Locator, product: string): Promise<number> {
  await expect(table.or(table.page().getByText('Nothing sold in these days.'))).toBeVisible();
  const row = table.getByRole('row').filter({ has: table.page().getByRole('link', { name: product, exact: true }) });
  if ((await row.count()) === 0) return 0;
  return Number((await row.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
}

for (const { name, viewport } of widths) {
  test.describe(`daily sales (${name})`, () => {
    test.use({ viewport });

    test('staff see a sale of today in the daily sales, and an empty range says so', async ({ page, storefront, cart, sales }) => {
      await storefront.open();
      await storefront.shopAs('Noor Haddad');
      await sales.open();
      const before = await unitsSold(sales.perProduct(), 'Forged Chef Knife');

      // Staff shop too: the sales page, behind this browser's last command, waits for the order.
      await storefront.open();
      await storefront.filterByCategory('Kitchen');
      await storefront.addToCart('Forged Chef Knife');
      await cart.open();
      await cart.checkOut();
      await sales.open();
      const row = sales.perProduct().getByRole('row').filter({ has: page.getByRole('link', { name: 'Forged Chef Knife', exact: true }) });
      await expect(row.getByRole('cell').nth(1)).toHaveText(String(before + 1));
      // The newest day first: today's, with at least this order.
      await expect(sales.perDay().getByRole('row').nth(1)).toContainText(longDay(today()));
      await expect(page.getByRole('main')).toContainText(/Orders\s*[1-9]/);

      await sales.showRange('2020-01-01', '2020-01-31');
      await expect(page.getByRole('main')).toContainText('Nothing sold in these days.');
      await expect(sales.perDay().getByRole('row')).toHaveCount(1);
      await expect(page.getByRole('main')).toContainText(/Average order\s*–/);

      await page.getByRole('link', { name: 'Last 30 days' }).click();
      await expect(page).toHaveURL(/\/back-office\/sales$/);
      await expect(row).toBeVisible();
      await expect(page.getByRole('form', { name: 'Sales range' }).getByLabel('to', { exact: true })).toHaveValue(today());
    });

    test('a bookmarked start date alone, years back, shows the longest range the report answers, ending today', async ({ page, storefront }) => {
      await storefront.open();
      await storefront.shopAs('Noor Haddad');
      // The report answers at most 366 days. A URL with a start date alone, years back, is mended like an
      // over-long range: it ends today and starts 365 days before.
      await page.goto('/back-office/sales?from=2020-01-01');
      await expect(page.getByRole('heading', { level: 1, name: 'Sales' })).toBeVisible();
      const form = page.getByRole('form', { name: 'Sales range' });
      const yearAgo = new Date(Date.parse(`${today()}T00:00:00.000Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
      await expect(form.getByLabel('From', { exact: true })).toHaveValue(yearAgo);
      await expect(form.getByLabel('to', { exact: true })).toHaveValue(today());
      await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
    });
  });
}
