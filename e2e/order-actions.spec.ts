import { expect, test, widths } from './fixtures';
import { newShopper, signUp } from './pages';

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const longDay = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

for (const { name, viewport } of widths) {
  test.describe(`after checkout (${name})`, () => {
    test.use({ viewport });
    // A sign-up, two checkouts and a pause that waits for the Status page's refresh: more than the default.
    test.describe.configure({ timeout: 60_000 });

    test('a shopper cancels an order before it is paid, and finds each order under its status and as it was', async ({
      page,
      storefront,
      cart,
      order,
      orders,
      consumers,
    }) => {
      // The fulfillment process is held, so the order stays placed, unpaid, for as long as the shopper needs:
      // the window a shopper has in the real shop before the card is charged, made deterministic.
      await consumers.pause('fulfillment');

      const shopper = newShopper();
      await signUp(page, shopper);
      await storefront.open();
      await storefront.filterByCategory('Kitchen');
      await storefront.addToCart('Berry Colander');
      await cart.open();
      await cart.checkOut();
      await expect(order.summary()).toContainText('Status: placed');
      await expect(order.progress).toContainText('Order placed, paying with Visa •••• 4242');
      const cancelled = await order.number();

      await test.step('a cancel without a reason is refused, and says why', async () => {
        await order.actions().getByLabel('Reason').fill('');
        await order.actions().getByRole('button', { name: 'Cancel order' }).click();
        await expect(order.actions().getByRole('alert')).toHaveText('Please give a reason.');
        await expect(order.summary()).toContainText('Status: placed');
      });
      await order.cancel('Ordered the wrong size');
      await expect(order.progress).toContainText('Order cancelled: Ordered the wrong size');
      await expect(order.actions()).toHaveCount(0);
      await expect(order.progress).not.toContainText('Payment authorised');

      await storefront.open();
      await storefront.filterByCategory('Kitchen');
      await storefront.addToCart('Footed Colander');
      await cart.open();
      await cart.checkOut();
      await expect(order.summary()).toContainText('Status: placed');
      const placed = await order.number();

      await orders.open();
      await expect(orders.statusFilter('All')).toHaveText('All (2)');
      await expect(orders.statusFilter('Placed')).toHaveText('Placed (1)');
      await expect(orders.statusFilter('Cancelled')).toHaveText('Cancelled (1)');
      await expect(orders.statusFilter('Paid')).toHaveText('Paid (0)');
      await expect(orders.rows()).toHaveCount(2);

      await orders.filterByStatus('Cancelled');
      await expect(page).toHaveURL(/\/orders\?status=cancelled$/);
      await expect(orders.rows()).toHaveCount(1);
      await expect(orders.rows()).toContainText(`#${cancelled}`);
      await expect(orders.rows()).toContainText('Berry Colander');

      await orders.filterByStatus('Placed');
      await expect(orders.rows()).toHaveCount(1);
      await expect(orders.rows()).toContainText(`#${placed}`);

      await orders.filterByStatus('Delivered');
      await expect(orders.rows()).toHaveCount(0);
      await expect(page.getByRole('main')).toContainText('No delivered orders.');

      await orders.filterByStatus('All');
      await expect(orders.rows()).toHaveCount(2);

      // Folded from the orders' own streams: before today the shopper had none; today, both, as they are now.
      await orders.showAsOf(day(-1));
      await expect(page.getByRole('main')).toContainText(`You had no orders by the end of ${longDay(day(-1))}.`);
      await orders.showAsOf(day(0));
      const asOfToday = orders.rows(`Orders as of ${longDay(day(0))}`);
      await expect(asOfToday).toHaveCount(2);
      await expect(asOfToday.filter({ hasText: `#${cancelled}` })).toContainText('cancelled');
      await expect(asOfToday.filter({ hasText: `#${placed}` })).toContainText('placed');
      await page.getByRole('link', { name: '← Your orders now' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Your orders' })).toBeVisible();
      await consumers.resume('fulfillment');
    });
  });
}
