import { declineMessages, type DeclineReason, type Line, type ShippingAddress } from '@/domain';

/**
 * The shop's mails, rendered from what the events recorded: pure functions, no clock, no I/O, so the same
 * event always renders the same mail (a repeat after a crash is the same message). Each renders a plain-text
 * body and a simple HTML one; every value that came from a customer (names, address lines, product names,
 * free-text reasons) is escaped in the HTML.
 */

export type RenderedMail = { readonly subject: string; readonly text: string; readonly html: string };

const regionName = new Intl.DisplayNames(['en'], { type: 'region' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** `$12.50`: whole cents in the order's currency (the shop prices in USD). */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

/** The order number the shop shows everywhere: the first eight characters of its id. */
export function orderNumber(orderId: string): string {
  return `#${orderId.slice(0, 8)}`;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function addressLines(address: ShippingAddress): string[] {
  return [address.name, address.line1, address.line2, `${address.postalCode} ${address.city}`, regionName.of(address.country) ?? address.country].filter(
    (line): line is string => Boolean(line),
  );
}

/** A paragraph of the HTML body: its text escaped, line breaks kept. */
const paragraph = (text: string) => `<p>${escapeHtml(text).replaceAll('\n', '<br>')}</p>`;

function htmlDocument(subject: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; color: #1d2330; line-height: 1.5">',
    ...body,
    '<p style="color: #5d6677">Hindsight shop</p>',
    '</body>',
    '</html>',
  ].join('\n');
}

/** The same paragraphs as text and as HTML; `extra` (a list, a table) goes right after the paragraph at `at`. */
function mail(subject: string, paragraphs: readonly string[], extra?: { at: number; text: string; html: string }): RenderedMail {
  const text = [...paragraphs];
  const html = paragraphs.map(paragraph);
  if (extra) {
    text.splice(extra.at + 1, 0, extra.text);
    html.splice(extra.at + 1, 0, extra.html);
  }
  return { subject, text: `${[...text, 'Hindsight shop'].join('\n\n')}\n`, html: htmlDocument(subject, html) };
}

export type OrderConfirmation = {
  readonly customerName: string;
  readonly orderId: string;
  readonly lines: readonly Line[];
  readonly totalCents: number;
  readonly currency: string;
  readonly shippingAddress: ShippingAddress | null;
};

export function orderConfirmation(order: OrderConfirmation): RenderedMail {
  const money = (cents: number) => formatMoney(cents, order.currency);
  const number = orderNumber(order.orderId);
  const address = order.shippingAddress ? addressLines(order.shippingAddress) : null;
  const paragraphs = [
    `Hello ${order.customerName},`,
    `Thank you for your order ${number}. We are taking the payment now and will mail you again when it ships.`,
    `Total: ${money(order.totalCents)}`,
    address ? `Ships to:\n${address.join('\n')}` : 'Ships to: not recorded.',
  ];
  const lineText = order.lines.map((line) => `${line.quantity} × ${line.name}: ${money(line.unitPriceCents * line.quantity)}`);
  const rows = order.lines.map(
    (line) =>
      `<tr><td>${escapeHtml(line.name)}</td><td style="text-align: right">${line.quantity}</td>` +
      `<td style="text-align: right">${escapeHtml(money(line.unitPriceCents * line.quantity))}</td></tr>`,
  );
  const table = [
    '<table style="border-collapse: collapse" cellpadding="4">',
    '<thead><tr><th style="text-align: left">Item</th><th style="text-align: right">Quantity</th><th style="text-align: right">Price</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
  ].join('\n');
  return mail(`Your order ${number} is confirmed`, paragraphs, { at: 1, text: lineText.join('\n'), html: table });
}

export type PaymentFailed = { readonly customerName: string; readonly orderId: string; readonly reason: DeclineReason };

export function paymentFailed(notice: PaymentFailed): RenderedMail {
  const number = orderNumber(notice.orderId);
  return mail(`We could not take the payment for order ${number}`, [
    `Hello ${notice.customerName},`,
    `We could not take the payment for your order ${number}: ${declineMessages[notice.reason]}.`,
    'The order has been cancelled and its items released back to stock, so nothing was charged. You are welcome to order again with another card.',
  ]);
}

export type OrderShippedNotice = {
  readonly customerName: string;
  readonly orderId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
};

export function orderShipped(notice: OrderShippedNotice): RenderedMail {
  const number = orderNumber(notice.orderId);
  return mail(`Your order ${number} has shipped`, [
    `Hello ${notice.customerName},`,
    `Your order ${number} is on its way with ${notice.carrier}.`,
    `Tracking number: ${notice.trackingNumber}`,
  ]);
}

export type OrderDeliveredNotice = { readonly customerName: string; readonly orderId: string; readonly deliveredAt: string };

export function orderDelivered(notice: OrderDeliveredNotice): RenderedMail {
  const number = orderNumber(notice.orderId);
  return mail(`Your order ${number} has been delivered`, [
    `Hello ${notice.customerName},`,
    `Your order ${number} was delivered on ${dayFormat.format(new Date(notice.deliveredAt))}. We hope you enjoy it.`,
  ]);
}

export type OrderCancelledNotice = {
  readonly customerName: string;
  readonly orderId: string;
  readonly reason: string;
  readonly refundedCents: number;
  readonly currency: string;
};

export function orderCancelled(notice: OrderCancelledNotice): RenderedMail {
  const number = orderNumber(notice.orderId);
  return mail(`Your order ${number} has been cancelled`, [
    `Hello ${notice.customerName},`,
    `Your order ${number} has been cancelled.`,
    `Reason: ${notice.reason}`,
    ...(notice.refundedCents > 0
      ? [`We have refunded ${formatMoney(notice.refundedCents, notice.currency)} to your card.`]
      : []),
  ]);
}

export type WarehouseDelayAlert = {
  readonly orderId: string;
  readonly customerName: string;
  readonly totalCents: number;
  readonly currency: string;
  readonly since: string;
};

/** For staff: the warehouse has not confirmed a shipment within the policy's time. */
export function warehouseDelayAlert(alert: WarehouseDelayAlert): RenderedMail {
  const number = orderNumber(alert.orderId);
  return mail(`Order ${number} is waiting for the warehouse`, [
    'Hello,',
    `Order ${number} (${alert.orderId}, ${alert.customerName}, ${formatMoney(alert.totalCents, alert.currency)}) has been waiting for the warehouse since ${timeFormat.format(new Date(alert.since))} UTC.`,
    'The fulfillment process keeps waiting for the shipment to be confirmed; please check with the warehouse.',
  ]);
}

export type SignInLinkNotice = { readonly url: string; readonly validMinutes: number };

/** The magic link: not about an event, but sent the same way, so the mailbox and SMTP show it alike. */
export function signInLink(notice: SignInLinkNotice): RenderedMail {
  return mail(
    'Your sign-in link for Hindsight',
    [
      `Here is your link to sign in to the Hindsight shop. It works once, within ${notice.validMinutes} minutes:`,
      'If you did not ask for it, you can ignore this mail: nobody can sign in without the link.',
    ],
    { at: 0, text: notice.url, html: `<p><a href="${escapeHtml(notice.url)}">Sign in to Hindsight</a></p>` },
  );
}
