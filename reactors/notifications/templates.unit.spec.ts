import { describe, expect, it } from 'vitest';
import type { ShippingAddress } from '@/domain';
import {
  escapeHtml,
  formatMoney,
  orderCancelled,
  orderConfirmation,
  orderDelivered,
  orderShipped,
  paymentFailed,
  warehouseDelayAlert,
} from './templates';

const orderId = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const address: ShippingAddress = { name: 'Ann Example', line1: '1 Test Lane', line2: 'Flat 2', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' };
const confirmation = {
  customerName: 'Ann Example',
  orderId,
  lines: [
    { productId: 'mug', name: 'Blue mug', unitPriceCents: 1250, quantity: 2 },
    { productId: 'tea', name: 'Green tea', unitPriceCents: 499, quantity: 1 },
  ],
  totalCents: 2999,
  currency: 'USD',
  shippingAddress: address,
};

describe('formatMoney', () => {
  it('formats whole cents as dollars', () => {
    expect(formatMoney(1250, 'USD')).toBe('$12.50');
    expect(formatMoney(0, 'USD')).toBe('$0.00');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that could open markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('order confirmation', () => {
  it('lists the lines, the total and the shipping address', () => {
    const mail = orderConfirmation(confirmation);
    expect(mail.subject).toBe('Your order #3f2a9c1e is confirmed');
    expect(mail.text).toContain('Hello Ann Example,');
    expect(mail.text).toContain('2 × Blue mug: $25.00');
    expect(mail.text).toContain('1 × Green tea: $4.99');
    expect(mail.text).toContain('Total: $29.99');
    expect(mail.text).toContain('Ships to:\nAnn Example\n1 Test Lane\nFlat 2\n1011 AB Amsterdam\nNetherlands');
    expect(mail.html).toContain('<td>Blue mug</td>');
    expect(mail.html).toContain('$29.99');
    expect(mail.html).toContain('1011 AB Amsterdam');
  });

  it('escapes what the customer typed in the HTML, and leaves the text as typed', () => {
    const mail = orderConfirmation({
      ...confirmation,
      customerName: '<script>alert(1)</script>',
      lines: [{ productId: 'x', name: 'Mug & <b>Saucer</b>', unitPriceCents: 100, quantity: 1 }],
      shippingAddress: { ...address, name: 'Ann "The Boss" O\'Hara', line1: '<img src=x onerror=alert(1)>' },
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>Saucer');
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(mail.html).toContain('<td>Mug &amp; &lt;b&gt;Saucer&lt;/b&gt;</td>');
    expect(mail.html).toContain('Ann &quot;The Boss&quot; O&#39;Hara');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('says when an order recorded no address', () => {
    expect(orderConfirmation({ ...confirmation, shippingAddress: null }).text).toContain('Ships to: not recorded.');
  });
});

describe('payment failed', () => {
  it("gives the decline in the shopper's words and says the order was cancelled and its stock released", () => {
    const mail = paymentFailed({ customerName: 'Ann Example', orderId, reason: 'insufficient_funds' });
    expect(mail.subject).toBe('We could not take the payment for order #3f2a9c1e');
    expect(mail.text).toContain('the card has insufficient funds');
    expect(mail.text).toContain('The order has been cancelled and its items released back to stock');
    expect(mail.html).toContain('the card has insufficient funds');
  });

  it('has words for every decline reason', () => {
    expect(paymentFailed({ customerName: 'A', orderId, reason: 'card_expired' }).text).toContain('the card has expired');
    expect(paymentFailed({ customerName: 'A', orderId, reason: 'card_declined' }).text).toContain('the card was declined');
  });
});

describe('order shipped', () => {
  it('names the carrier and the tracking number', () => {
    const mail = orderShipped({ customerName: 'Ann Example', orderId, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
    expect(mail.subject).toBe('Your order #3f2a9c1e has shipped');
    expect(mail.text).toContain('on its way with UPS');
    expect(mail.text).toContain('Tracking number: 1Z999AA10123456784');
    expect(mail.html).toContain('1Z999AA10123456784');
  });
});

describe('order delivered', () => {
  it('says when, as a day in UTC', () => {
    const mail = orderDelivered({ customerName: 'Ann Example', orderId, deliveredAt: '2025-03-04T23:30:00.000Z' });
    expect(mail.subject).toBe('Your order #3f2a9c1e has been delivered');
    expect(mail.text).toContain('delivered on 4 March 2025');
  });
});

describe('order cancelled', () => {
  it('gives the reason and the refund', () => {
    const mail = orderCancelled({ customerName: 'Ann Example', orderId, reason: 'Items are missing & back-ordered.', refundedCents: 2999, currency: 'USD' });
    expect(mail.subject).toBe('Your order #3f2a9c1e has been cancelled');
    expect(mail.text).toContain('Reason: Items are missing & back-ordered.');
    expect(mail.text).toContain('We have refunded $29.99 to your card.');
    expect(mail.html).toContain('Reason: Items are missing &amp; back-ordered.');
  });

  it('mentions no refund when nothing was refunded', () => {
    const mail = orderCancelled({ customerName: 'Ann Example', orderId, reason: 'Cancelled at your request.', refundedCents: 0, currency: 'USD' });
    expect(mail.text).not.toContain('refund');
  });
});

describe('warehouse delay alert', () => {
  it('tells staff which order waits for the warehouse and since when', () => {
    const mail = warehouseDelayAlert({ orderId, customerName: 'Ann <Example>', totalCents: 2999, currency: 'USD', since: '2025-03-04T10:15:00.000Z' });
    expect(mail.subject).toBe('Order #3f2a9c1e is waiting for the warehouse');
    expect(mail.text).toContain(orderId);
    expect(mail.text).toContain('$29.99');
    expect(mail.text).toContain('since 4 Mar 2025, 10:15 UTC');
    expect(mail.html).toContain('Ann &lt;Example&gt;');
  });
});

describe('every mail', () => {
  it('is a whole HTML document whose title is the subject, escaped', () => {
    const mail = orderCancelled({ customerName: 'A', orderId: '<b>id</b>', reason: 'r', refundedCents: 0, currency: 'USD' });
    expect(mail.html.startsWith('<!doctype html>')).toBe(true);
    expect(mail.html).toContain('<title>Your order #&lt;b&gt;id&lt;/b has been cancelled</title>');
  });
});
