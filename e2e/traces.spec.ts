import { expect, test } from './fixtures';
import { processStepTimeout } from './run-mode';

/**
 * Staff follow a checkout through the log: the order's trace is one timeline in log order, and its links open
 * the stream browser at the event, with its version and metadata, and the trace of its correlation id.
 */
const step = { timeout: processStepTimeout };

test.describe.configure({ timeout: 90_000 });

test("a trace of a checkout shows its events in order, and opens each stream's events with their versions and metadata", async ({
  page,
  storefront,
  cart,
  order,
}) => {
  await storefront.open();
  await storefront.shopAs('Noor Haddad');
  await storefront.filterByCategory('Kitchen');
  await storefront.addToCart('Blue Chef Knife');
  await cart.open();
  await cart.checkOut('4242 4242 4242 4242');
  await expect(order.progress).toContainText('Payment authorised', step);
  const orderId = new URL(page.url()).pathname.split('/').at(-1)!;

  const timeline = page.getByRole('table', { name: 'Timeline' });
  await test.step("the order's trace: the checkout's command, then its events in log order", async () => {
    await page.goto(`/back-office/orders/${orderId}`);
    await expect(timeline.getByRole('row').filter({ hasText: 'OrderPaid' })).toBeVisible(step);
    const rows = timeline.locator('tbody tr');
    const positions = (await rows.locator('td:first-child').allInnerTexts()).map(Number);
    expect(positions.length).toBeGreaterThan(5);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    await expect(rows.first()).toHaveAttribute('data-kind', 'command');
    const events = await timeline.locator('tbody tr[id^="event-"] summary strong').allInnerTexts();
    const at = (type: string) => events.indexOf(type);
    expect(at('CartCheckedOut')).toBeGreaterThanOrEqual(0);
    expect(at('CartCheckedOut')).toBeLessThan(at('OrderPlaced'));
    expect(at('OrderPlaced')).toBeLessThan(at('OrderPaid'));
    // What the events led to outside the log is on the same timeline.
    await expect(timeline.getByText('order.placed')).toBeVisible();
    await expect(timeline.getByText('Timer scheduled').first()).toBeVisible();
  });

  await test.step('the stream browser at the order placed: its version, position and metadata', async () => {
    const placed = timeline.locator('tbody tr[id^="event-"]').filter({ has: page.locator('summary strong', { hasText: /^OrderPlaced$/ }) });
    await placed.getByRole('link', { name: /order .* · v1/ }).click();
    await expect(page).toHaveURL(/\/back-office\/streams\?stream=order-[0-9a-f-]+&version=1#v1$/);
    await expect(page.getByRole('heading', { name: `order-${orderId}` })).toBeVisible();
    const events = page.getByRole('list', { name: 'Events' }).getByRole('listitem');
    const first = events.first();
    await expect(first).toHaveId('v1');
    await expect(first).toContainText('OrderPlaced');
    for (const field of ['Correlation', 'Caused by', 'Idempotency key', 'Actor']) await expect(first.getByRole('term').filter({ hasText: field })).toBeVisible();
    await expect(first).toContainText('customer:');
    const versions = await events.locator('.stream-event-version').allInnerTexts();
    expect(versions).toEqual(versions.map((_, index) => `v${index + 1}`));
    await first.getByText('Data', { exact: true }).click();
    await expect(first.getByText('As stored, the current shape (v3)')).toBeVisible();
  });

  await test.step("the correlation id opens the checkout's trace", async () => {
    await page.getByRole('list', { name: 'Events' }).getByRole('listitem').first().getByRole('link', { name: /^[0-9a-f]{8}$/ }).first().click();
    await expect(page.getByRole('heading', { name: 'Trace' })).toBeVisible();
    await expect(timeline.locator('summary strong', { hasText: /^OrderPlaced$/ })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Back office' }).getByRole('link', { name: 'Streams' })).toHaveAttribute('aria-current', 'page');
  });

  await test.step('an unknown stream and a malformed id are answered in words', async () => {
    await page.goto(`/back-office/streams?stream=order-${orderId.replace(/.$/, (last) => (last === '0' ? '1' : '0'))}`);
    await expect(page.getByText('The log has no stream')).toBeVisible();
    await page.goto('/back-office/streams?stream=order%20x');
    await expect(page.getByText('A stream id is printable ASCII without spaces')).toBeVisible(step);
  });
});
