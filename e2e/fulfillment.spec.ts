import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { MailCatcher } from './mail';
import { processStepTimeout } from './run-mode';

/**
 * After checkout nobody presses a button: the order page follows the fulfillment process as it checks for
 * fraud, charges the card, hands the order to the warehouse and delivers it, or undoes it. The mail the
 * customer gets arrives at the suite's SMTP listener (full stack) or in the development mailbox (zero setup).
 */
const step = { timeout: processStepTimeout };

// An order's whole way takes a dozen steps of the process, each a few consumers' delays apart.
test.describe.configure({ timeout: 120_000 });

/** The subjects of the mail `address` received, wherever this run mode delivers it. */
async function mailSubjects(page: Page, mailCatcher: MailCatcher | null, address: string): Promise<string[]> {
  if (mailCatcher) return mailCatcher.subjectsTo(address);
  const mailbox = await page.context().newPage();
  try {
    await mailbox.goto('/mailbox');
    const list = mailbox.getByRole('list', { name: 'Mail' });
    await expect(mailbox.getByRole('heading', { name: 'Mailbox' })).toBeVisible();
    if (!(await list.isVisible())) return [];
    return (await list.getByRole('listitem').filter({ hasText: address }).allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
  } finally {
    await mailbox.close();
  }
}

test('an approved order goes from placed to delivered by itself, and the customer is mailed at each step', async ({
  page,
  storefront,
  cart,
  order,
  mailCatcher,
}) => {
  await storefront.open();
  await storefront.shopAs('Maya Okafor');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Chef Knife');
  await cart.open();
  await cart.checkOut('4242 4242 4242 4242');

  await expect(order.progress).toContainText('Order placed, paying with Visa •••• 4242');
  await expect(order.progress).toContainText('Fraud check passed', step);
  await expect(order.progress).toContainText('Payment authorised', step);
  await expect(order.progress).toContainText('Handed to the warehouse', step);
  await expect(order.progress).toContainText(/Shipped with Parcel Post, tracking number PP\w+/, step);
  await expect(order.progress).toContainText('Delivered', step);
  await expect(page.getByRole('region', { name: 'Order summary' })).toContainText('Status: delivered');
  // The demo controls are gone: the shopper can no longer pay, ship or deliver by hand.
  await expect(page.getByRole('button', { name: /Pay now|Ship|Mark delivered/ })).toHaveCount(0);

  const orderNumber = (await page.getByRole('heading', { level: 1 }).innerText()).replace('Order #', '');
  await expect
    .poll(() => mailSubjects(page, mailCatcher, 'maya@example.com'), step)
    .toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Your order #${orderNumber} is confirmed`),
        expect.stringContaining(`Your order #${orderNumber} has shipped`),
        expect.stringContaining(`Your order #${orderNumber} has been delivered`),
      ]),
    );
});

test('a declined card cancels the order, says why, and gives the stock back', async ({ page, storefront, cart, order, mailCatcher }) => {
  await storefront.open();
  await storefront.shopAs('Liam Chen');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Classic Cutting Board');
  await cart.open();
  await cart.checkOut('4000 0000 0000 9995');

  await expect(order.progress).toContainText('Payment declined: the card has insufficient funds', step);
  await expect(order.progress).toContainText('Order cancelled', step);
  await expect(order.progress).toContainText('The items were put back in stock');
  await expect(page.getByRole('region', { name: 'Order summary' })).toContainText('Status: cancelled');
  await expect(page.getByRole('button', { name: 'Cancel order' })).toHaveCount(0);

  const orderNumber = (await page.getByRole('heading', { level: 1 }).innerText()).replace('Order #', '');
  await expect
    .poll(() => mailSubjects(page, mailCatcher, 'liam@example.com'), step)
    .toEqual(expect.arrayContaining([expect.stringContaining(`We could not take the payment for order #${orderNumber}`)]));
});

test('a paid order cancelled before it ships is refunded, and the page says so', async ({ page, storefront, cart, order }) => {
  await storefront.open();
  await storefront.shopAs('Sofia Rossi');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Skillet');
  await cart.open();
  await cart.checkOut();

  // Paid, and waiting for its handover to the warehouse: the window in which a cancel costs nothing to ship.
  await expect(order.progress).toContainText('Payment authorised', step);
  await order.cancel('Found it cheaper elsewhere');

  await expect(order.progress).toContainText('Order cancelled: Found it cheaper elsewhere', step);
  await expect(order.progress).toContainText(/Refunded \$\d+\.\d\d to your card/, step);
  await expect(page.getByRole('region', { name: 'Order summary' })).toContainText(/Refunded \$\d+\.\d\d/);
  await expect(order.progress).not.toContainText('Handed to the warehouse');
});
