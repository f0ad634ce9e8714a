import { expect } from '@playwright/test';
import { test } from './fixtures';

/**
 * The back office's Status page: every consumer at a glance. The worker samples each consumer's lag when it
 * starts and every 10 seconds after, so by the time staff look there is an hour's chart with a point in it.
 */
test('staff see each consumer’s throughput, health and last hour of lag, and chart the one they choose', async ({ page, storefront }) => {
  await storefront.open();
  await storefront.shopAs('Noor Haddad');
  await page.getByRole('banner').getByRole('link', { name: 'Back office' }).click();
  await page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Status' }).click();

  const consumers = page.getByRole('table', { name: 'Consumers' });
  await expect(consumers.getByRole('columnheader', { name: 'Throughput' })).toBeVisible();
  const carts = consumers.getByRole('row').filter({ has: page.getByRole('cell', { name: /^carts/ }) });
  await expect(carts.getByRole('cell', { name: 'healthy' })).toBeVisible();
  // A throughput once the first sample is a second old: a rate, never blank.
  await expect(carts.getByRole('cell', { name: /^\d[\d,.]*\/s$/ })).toBeVisible({ timeout: 15_000 });

  const sparkline = carts.getByRole('button', { name: /^Chart of carts.*'s lag$/ });
  await sparkline.click();
  await expect(sparkline).toHaveAttribute('aria-pressed', 'true');
  const chart = page.getByRole('figure', { name: /^Lag of carts.*, last hour$/ });
  await expect(chart).toBeVisible();
  await expect(chart.getByRole('application')).toBeVisible({ timeout: 15_000 });
  await expect(chart).not.toContainText('No samples yet');
});
