import { describe, expect, it } from 'vitest';
import { useShopDatabase } from '@/projections/testing';
import {
  cartStreamId,
  customerStreamId,
  orderStreamId,
  productStreamId,
  type Line,
  type OrderEvent,
  type ShopEvent,
} from '@/domain';
import { projections } from './index';
import { catchUp } from '@/db/consumers';
import { readCheckpoint } from '@/db/event-store';
import { resetProjection } from './runtime/reset';
import { appendShopEvents, dumpProjection, metadata, testAddress, type ShopAppend } from './testing';

const ctx = useShopDatabase();

// Spread over several days so daily sales has more than one row; minutes keep every event's time distinct.
let minute = 0;
const next = () => new Date(Date.UTC(2025, 2, 3, 9, 0) + (minute += 97) * 60_000).toISOString();

type Product = { productId: string; name: string; unitPriceCents: number };
const mug: Product = { productId: 'mug', name: 'Mug', unitPriceCents: 1_200 };
const lamp: Product = { productId: 'lamp', name: 'Desk lamp', unitPriceCents: 4_500 };
const kettle: Product = { productId: 'kettle', name: 'Kettle', unitPriceCents: 3_900 };

const product = (p: Product, ...events: ShopEvent[]): ShopAppend => ({
  streamId: productStreamId(p.productId),
  events,
});
const cart = (cartId: string, ...events: ShopEvent[]): ShopAppend => ({ streamId: cartStreamId(cartId), events });
const order = (orderId: string, ...events: OrderEvent[]): ShopAppend => ({ streamId: orderStreamId(orderId), events });

const listed = (p: Product, category: string, stock: number) =>
  product(p, {
    type: 'ProductListed',
    data: { productId: p.productId, name: p.name, description: `A ${p.name}`, category, priceCents: p.unitPriceCents, stock, listedAt: next() },
  });
const repriced = (p: Product, priceCents: number) =>
  product(p, {
    type: 'ProductRepriced',
    data: { productId: p.productId, previousPriceCents: p.unitPriceCents, priceCents, repricedAt: next() },
  });
const restocked = (p: Product, quantity: number, stock: number) =>
  product(p, { type: 'ProductRestocked', data: { productId: p.productId, quantity, stock, restockedAt: next() } });
const reserved = (p: Product, orderId: string, quantity: number, stock: number) =>
  product(p, { type: 'StockReserved', data: { productId: p.productId, orderId, quantity, stock, reservedAt: next() } });
const released = (p: Product, orderId: string, quantity: number, stock: number) =>
  product(p, { type: 'StockReleased', data: { productId: p.productId, orderId, quantity, stock, releasedAt: next() } });

const registered = (customerId: string, name: string): ShopAppend => ({
  streamId: customerStreamId(customerId),
  events: [
    {
      type: 'CustomerRegistered',
      data: { customerId, name, email: `${customerId}@example.com`, registeredAt: next() },
    },
  ],
});

const added = (cartId: string, customerId: string, p: Product, quantity: number): ShopEvent => ({
  type: 'CartItemAdded',
  data: { cartId, customerId, ...p, quantity, addedAt: next() },
});
const changed = (cartId: string, p: Product, quantity: number) =>
  cart(cartId, {
    type: 'CartItemQuantityChanged',
    data: { cartId, productId: p.productId, quantity, changedAt: next() },
  });
const removed = (cartId: string, p: Product) =>
  cart(cartId, { type: 'CartItemRemoved', data: { cartId, productId: p.productId, removedAt: next() } });

/** Checkout as the shop does it: the cart, the new order and its stock reservations in one transaction. */
function checkedOut(
  cartId: string,
  customerId: string,
  orderId: string,
  lines: Line[],
  stockAfter: number[],
  payment: { token: string; last4: string; brand: string; cardRisk: 'normal' | 'elevated' } | null = null,
) {
  const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const at = next();
  return [
    cart(cartId, {
      type: 'CartCheckedOut',
      data: { cartId, customerId, orderId, lines, totalCents, checkedOutAt: at },
    }),
    order(orderId, {
      type: 'OrderPlaced',
      data: { orderId, customerId, cartId, lines, totalCents, currency: 'USD', shippingAddress: testAddress, payment, placedAt: at },
    }),
    ...lines.map((line, i) => reserved(line, orderId, line.quantity, stockAfter[i]!)),
  ];
}

const paid = (orderId: string, amountCents: number) =>
  order(orderId, {
    type: 'OrderPaid',
    data: { orderId, amountCents, paymentReference: `pay-${orderId}`, paidAt: next() },
  });
const shipped = (orderId: string) =>
  order(orderId, {
    type: 'OrderShipped',
    data: { orderId, carrier: 'DHL', trackingNumber: `JD-${orderId}`, shippedAt: next() },
  });
const delivered = (orderId: string) =>
  order(orderId, { type: 'OrderDelivered', data: { orderId, deliveredAt: next() } });
const cancelled = (orderId: string) =>
  order(orderId, { type: 'OrderCancelled', data: { orderId, reason: 'Customer asked', cancelledBy: 'customer', cancelledAt: next() } });

const cheaperLamp = { ...lamp, unitPriceCents: 4_200 };

/** Cy pays by card: the fulfillment process, the fraud check and the payment step write streams of their own. */
const cardPayment = { token: 'tok_cy', last4: '4242', brand: 'visa', cardRisk: 'normal' as const };
function byCard(orderId: string, lines: Line[]): ShopAppend[] {
  const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const at = next();
  const timer = { timerId: `${orderId}.1.payment-deadline`, process: 'fulfillment', processId: orderId, name: 'payment-deadline', dueAt: at };
  return [
    { streamId: `fulfillment-${orderId}`, events: [
      { type: 'FulfillmentStarted', data: { orderId, customerId: 'cy', lines, totalCents, currency: 'USD', shippingAddress: testAddress, paymentToken: 'tok_cy', startedAt: at } },
      { type: 'TimerScheduled', data: { ...timer, scheduledAt: at } },
      { type: 'PaymentRequested', data: { orderId, idempotencyKey: `charge-${orderId}`, attempt: 1, token: 'tok_cy', amountCents: totalCents, currency: 'USD', requestedAt: at } },
    ] },
    { streamId: `fraud-check-cy`, events: [
      { type: 'FraudCheckCompleted', data: { orderId, customerId: 'cy', verdict: 'passed', score: 0, reasons: [], placedAt: at, checkedAt: at } },
    ] },
    { streamId: `payment-${orderId}`, events: [
      { type: 'PaymentCaptured', data: { orderId, idempotencyKey: `charge-${orderId}`, chargeId: 'ch_cy', amountCents: totalCents, capturedAt: at } },
      { type: 'PaymentRefunded', data: { orderId, idempotencyKey: `refund-${orderId}`, refundId: 're_cy', amountCents: totalCents, refundedAt: at } },
    ] },
  ] as ShopAppend[];
}
const parked = (orderId: string): ShopAppend => ({
  streamId: `fulfillment-${orderId}`,
  events: [
    { type: 'PaymentSettled', data: { orderId, chargeId: 'ch_cy', amountCents: 4_200, settledAt: next() } },
    { type: 'FulfillmentParked', data: { orderId, reason: 'The refund could not be made.', parkedAt: next() } },
  ],
});

/** Each group is one user action: its appends share a correlation id, then every projection catches up. */
const history: { actor: string; writes: ShopAppend[] }[] = [
  { actor: 'staff', writes: [listed(mug, 'kitchen', 10), listed(lamp, 'lighting', 5), listed(kettle, 'kitchen', 3)] },
  { actor: 'system:seed', writes: [registered('ann', 'Ann Archer'), registered('bob', 'Bob Baker')] },
  { actor: 'customer:ann', writes: [cart('ann-1', added('ann-1', 'ann', mug, 2), added('ann-1', 'ann', lamp, 1))] },
  { actor: 'customer:ann', writes: [changed('ann-1', mug, 3)] },
  { actor: 'customer:bob', writes: [cart('bob-1', added('bob-1', 'bob', kettle, 1))] },
  { actor: 'staff', writes: [repriced(lamp, cheaperLamp.unitPriceCents)] },
  { actor: 'customer:ann', writes: [removed('ann-1', lamp)] },
  { actor: 'customer:ann', writes: [cart('ann-1', added('ann-1', 'ann', cheaperLamp, 1))] },
  {
    actor: 'customer:ann',
    writes: checkedOut('ann-1', 'ann', 'o-ann-1', [{ ...mug, quantity: 3 }, { ...cheaperLamp, quantity: 1 }], [7, 4]),
  },
  { actor: 'customer:ann', writes: [paid('o-ann-1', 7_800)] },
  { actor: 'customer:bob', writes: checkedOut('bob-1', 'bob', 'o-bob-1', [{ ...kettle, quantity: 1 }], [2]) },
  { actor: 'staff', writes: [shipped('o-ann-1')] },
  { actor: 'customer:bob', writes: [cancelled('o-bob-1'), released(kettle, 'o-bob-1', 1, 3)] },
  { actor: 'staff', writes: [delivered('o-ann-1')] },
  { actor: 'staff', writes: [restocked(mug, 20, 27)] },
  { actor: 'customer:ann', writes: [cart('ann-2', added('ann-2', 'ann', kettle, 2))] },
  { actor: 'customer:ann', writes: checkedOut('ann-2', 'ann', 'o-ann-2', [{ ...kettle, quantity: 2 }], [1]) },
  { actor: 'customer:ann', writes: [paid('o-ann-2', 7_800)] },
  { actor: 'system:seed', writes: [registered('cy', 'Cy Cooper')] },
  { actor: 'customer:cy', writes: [cart('cy-1', added('cy-1', 'cy', mug, 1), added('cy-1', 'cy', cheaperLamp, 2))] },
  { actor: 'customer:cy', writes: [cart('cy-2', added('cy-2', 'cy', cheaperLamp, 1))] },
  {
    actor: 'customer:cy',
    writes: checkedOut('cy-2', 'cy', 'o-cy-2', [{ ...cheaperLamp, quantity: 1 }], [3], cardPayment),
  },
  { actor: 'system:fulfillment', writes: byCard('o-cy-2', [{ ...cheaperLamp, quantity: 1 }]) },
  { actor: 'system:fulfillment', writes: [parked('o-cy-2')] },
];

const dumpAll = async () =>
  Object.fromEntries(
    await Promise.all(projections.map(async (p) => [p.name, await dumpProjection(ctx.db.orm, p)] as const)),
  );

describe('replaying the log', () => {
  it('rebuilds every read model from zero to exactly the rows it built incrementally', async () => {
    for (const [index, step] of history.entries()) {
      await appendShopEvents(ctx.store, step.writes, metadata(`action-${index}`, step.actor));
      // Batches of 3 cut across the groups, so batch boundaries fall mid-transaction as well as between them.
      for (const projection of projections) await catchUp(ctx.source, projection, { batchSize: 3 });
    }
    const incremental = await dumpAll();
    const checkpoints = await Promise.all(projections.map((p) => readCheckpoint(ctx.db.orm, p.name)));

    for (const [name, tables] of Object.entries(incremental)) {
      for (const [table, rows] of Object.entries(tables)) {
        expect(rows.length, `${name}.${table} has rows`).toBeGreaterThan(0);
      }
    }
    // Spot checks that the history reached the read models as intended, so the comparison below means something.
    expect(incremental.product_catalog?.catalog_products?.map((p) => [p.productId, p.priceCents, p.stock])).toEqual([
      ['kettle', 3_900, 1],
      ['lamp', 4_200, 3],
      ['mug', 1_200, 27],
    ]);
    expect(incremental.carts?.cart_lines).toHaveLength(7);
    expect(incremental.order_detail?.order_timeline).toHaveLength(9);

    for (const projection of projections) {
      await resetProjection(ctx.db.orm, projection);
      expect(Object.values(await dumpProjection(ctx.db.orm, projection)).flat()).toEqual([]);
      await catchUp(ctx.source, projection, { batchSize: 1_000 });
    }

    expect(await dumpAll()).toEqual(incremental);
    expect(await Promise.all(projections.map((p) => readCheckpoint(ctx.db.orm, p.name)))).toEqual(checkpoints);
  });
});
