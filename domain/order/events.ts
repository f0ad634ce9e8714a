import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { lineSchema } from '../lines';
import { cents, id, instant, laterVersion, type EventVersions } from '../schema';

export const orderEventTypes = ['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderDelivered', 'OrderCancelled'] as const;

/** The shop prices everything in one currency; an order records it, so a second currency can follow. */
export const shopCurrency = 'USD';

/** Where an order is shipped. `country` is an ISO 3166-1 alpha-2 code. */
export const shippingAddressSchema = z.strictObject({
  name: z.string().min(1).max(100),
  line1: z.string().min(1).max(200),
  line2: z.string().min(1).max(200).optional(),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/),
});

export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

const orderPlacedV1 = z.strictObject({
  orderId: id,
  customerId: id,
  cartId: id,
  lines: z.array(lineSchema),
  totalCents: cents,
  placedAt: instant,
});

/**
 * v2 records where the order ships and its currency. Orders placed before the shop asked for an address
 * (v1) read as `shippingAddress: null`, "not recorded", and in USD, the only currency the shop has priced in.
 */
const orderPlacedV2 = orderPlacedV1.extend({
  shippingAddress: shippingAddressSchema.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

const orderPaidV1 = z.strictObject({ orderId: id, amountCents: cents, paymentReference: z.string(), paidAt: instant });

const orderShippedV1 = z.strictObject({ orderId: id, carrier: z.string(), trackingNumber: z.string(), shippedAt: instant });

const orderDeliveredV1 = z.strictObject({ orderId: id, deliveredAt: instant });

export const cancelledByValues = ['customer', 'staff', 'system'] as const;

const orderCancelledV1 = z.strictObject({ orderId: id, reason: z.string(), cancelledAt: instant });

/**
 * v2 records who cancelled: the fulfillment process cancels orders itself (a declined payment), and a
 * refund depends on it. Every v1 cancellation was the customer's own (the shop offered no other way).
 */
const orderCancelledV2 = orderCancelledV1.extend({ cancelledBy: z.enum(cancelledByValues) });

/** The card the shopper paid with, as the payment gateway's token: the card itself never reaches the shop. */
export const orderPaymentSchema = z.strictObject({
  token: z.string().min(1).max(200),
  last4: z.string().regex(/^[0-9]{4}$/),
  brand: z.string().min(1).max(40),
  /** The gateway's view of the card when it was tokenised; the fraud check weighs `elevated`. */
  cardRisk: z.enum(['normal', 'elevated']),
});
export type OrderPayment = z.infer<typeof orderPaymentSchema>;

/**
 * v3 records the card's token: the fulfillment process charges it. Orders placed before checkout asked for a
 * card (v1, v2) read as `payment: null`; the process leaves them as they are (they were paid by hand).
 */
const orderPlacedV3 = orderPlacedV2.extend({ payment: orderPaymentSchema.nullable() });

export type OrderPlaced = DomainEvent<'OrderPlaced', z.infer<typeof orderPlacedV3>>;
export type OrderPaid = DomainEvent<'OrderPaid', z.infer<typeof orderPaidV1>>;
export type OrderShipped = DomainEvent<'OrderShipped', z.infer<typeof orderShippedV1>>;
export type OrderDelivered = DomainEvent<'OrderDelivered', z.infer<typeof orderDeliveredV1>>;
export type OrderCancelled = DomainEvent<'OrderCancelled', z.infer<typeof orderCancelledV2>>;

export type OrderEvent = OrderPlaced | OrderPaid | OrderShipped | OrderDelivered | OrderCancelled;

/** Every stored version of each order event, and how each older one is upcast (docs/event-versioning.md). */
export const orderEventSchemas = {
  OrderPlaced: [
    { schema: orderPlacedV1 },
    laterVersion(orderPlacedV2, (v1: z.infer<typeof orderPlacedV1>) => ({ ...v1, shippingAddress: null, currency: shopCurrency })),
    laterVersion(orderPlacedV3, (v2: z.infer<typeof orderPlacedV2>) => ({ ...v2, payment: null })),
  ],
  OrderPaid: [{ schema: orderPaidV1 }],
  OrderShipped: [{ schema: orderShippedV1 }],
  OrderDelivered: [{ schema: orderDeliveredV1 }],
  OrderCancelled: [
    { schema: orderCancelledV1 },
    laterVersion(orderCancelledV2, (v1: z.infer<typeof orderCancelledV1>) => ({ ...v1, cancelledBy: 'customer' as const })),
  ],
} as const satisfies Record<OrderEvent['type'], EventVersions>;
