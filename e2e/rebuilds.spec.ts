import { expect, test } from './fixtures';

/**
 * Staff rebuild every read model from the Status page while the shop keeps serving: the progress bar moves,
 * the rebuild is verified against the live read models and swapped in, and the storefront never empties.
 * The suite rebuilds in small batches, each after the consumers' delay (run-mode.ts), so the bar is seen moving.
 */
test.describe.configure({ timeout: 120_000 });

test('a rebuild of every read model shows its progress, swaps in, and the storefront serves throughout', async ({ page, storefront, browser }) => {
  await storefront.open();
  await storefront.shopAs('Noor Haddad');
  await page.getByRole('banner').getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Status' }).click();
  const rebuilds = page.getByRole('region', { name: 'Rebuilds' });
  await expect(rebuilds.getByRole('combobox', { name: 'Rebuild' })).toHaveValue('all');
  await rebuilds.getByRole('button', { name: 'Start rebuild' }).click();

  // A second start while it runs is refused, with why.
  const rebuild = rebuilds.getByRole('listitem').first();
  await expect(rebuild.getByText('running', { exact: true })).toBeVisible({ timeout: 15_000 });
  await rebuilds.getByRole('button', { name: 'Start rebuild' }).click();
  await expect(rebuilds.getByRole('alert')).toContainText('Already being rebuilt');

  // The bar moves: it is seen at two values part way, in order, while a shopper's storefront keeps its products.
  const bar = rebuild.getByRole('progressbar');
  const seen: number[] = [];
  await expect
    .poll(
      async () => {
        const value = await bar.getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
        if (value !== null) seen.push(Number(value));
        return new Set(seen.filter((percent) => percent > 0 && percent < 100)).size;
      },
      { timeout: 60_000, intervals: [200] },
    )
    .toBeGreaterThanOrEqual(2);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  await expect(bar).toHaveAttribute('aria-valuetext', /of [\d,]+ events/);
  const shopper = await browser.newPage();
  try {
    await shopper.goto('/');
    await expect(shopper.getByRole('list', { name: 'Products' }).getByRole('listitem').first()).toBeVisible();
    await expect(rebuild.getByText('swapped', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(rebuild).toContainText(/(\d+) of \1 tables identical to the live ones/);
    await shopper.reload();
    await expect(shopper.getByRole('list', { name: 'Products' }).getByRole('listitem').first()).toBeVisible();
  } finally {
    await shopper.close();
  }
});

test('a search index is rebuilt beside the live one and swapped in by one alias update, search answering throughout @full-stack', async ({ page, storefront, search }) => {
  await storefront.open();
  await storefront.shopAs('Noor Haddad');
  await page.goto('/back-office/status');
  const rebuilds = page.getByRole('region', { name: 'Rebuilds' });
  await rebuilds.getByRole('combobox', { name: 'Rebuild' }).selectOption('product_search_v1');
  await rebuilds.getByRole('button', { name: 'Start rebuild' }).click();
  const rebuild = rebuilds.getByRole('listitem').filter({ hasText: 'product_search_v1' }).first();
  await expect(rebuild.getByRole('progressbar')).toBeVisible({ timeout: 15_000 });
  await expect(rebuild.getByText('swapped', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(rebuild).toContainText('the new index identical to the live one');
  await search.search('walnut teapot');
  await expect(search.results().getByRole('listitem').filter({ hasText: 'Walnut Teapot' }).first()).toBeVisible();
});
