import { z } from 'zod';

/**
 * The integration events: the shop's and the warehouse's public, versioned contract (docs/integration-events.md).
 * They are deliberately not the domain events. A domain event is private history, shaped for the aggregate
 * that decided it and free to change with it (upcasters keep old ones readable); an integration event is a
 * promise to services we do not deploy with: it carries only what a consumer needs, in formats that do not
 * depend on our code (opaque string ids, ISO-8601 instants in UTC, money as minor units with an ISO 4217 currency), and it
 * never changes within a version. A change that a consumer could trip over is a new version, published beside
 * the old one until nobody reads the old one.
 *
 * This folder imports nothing of the shop's or the warehouse's: both depend on it, never the other way round.
 */

/** Ids are opaque strings: UUIDs for everything the shop creates, but imported data may carry other tokens. */
const opaqueId = z.string().min(1).max(100);
const instant = z.iso.datetime({ offset: false });
const quantity = z.int().min(1).max(10_000);

/** Money in minor units (cents), with its currency: no floats, no locale. */
export const money = z.strictObject({ amountMinor: z.int().min(0), currency: z.string().regex(/^[A-Z]{3}$/) });
export type Money = z.infer<typeof money>;

const item = z.strictObject({ productId: opaqueId, name: z.string().min(1).max(200), quantity });

const address = z.strictObject({
  name: z.string().min(1).max(100),
  line1: z.string().min(1).max(200),
  line2: z.string().min(1).max(200).optional(),
  postalCode: z.string().min(1).max(20),
  city: z.string().min(1).max(100),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/),
});

/** Every contract: its producer, its version and its payload's schema. A consumer filters by producer. */
export const integrationEvents = {
  'order.placed': {
    producer: 'shop',
    version: 1,
    summary: 'A customer placed an order; payment and shipping follow.',
    schema: z.strictObject({
      orderId: opaqueId,
      customerId: opaqueId,
      items: z.array(item.extend({ unitPrice: money })).min(1),
      total: money,
      placedAt: instant,
    }),
  },
  'payment.captured': {
    producer: 'shop',
    version: 1,
    summary: "The order's payment was captured at the payment gateway.",
    schema: z.strictObject({ orderId: opaqueId, paymentId: z.string().min(1).max(200), amount: money, capturedAt: instant }),
  },
  'order.cancelled': {
    producer: 'shop',
    version: 1,
    summary: 'The order was cancelled; a payment captured is refunded by the shop.',
    schema: z.strictObject({
      orderId: opaqueId,
      cancelledBy: z.enum(['customer', 'staff', 'shop']),
      reason: z.string().max(500),
      cancelledAt: instant,
    }),
  },
  'shipment.requested': {
    producer: 'shop',
    version: 1,
    summary: 'The shop asks the warehouse to pick, pack and dispatch an order.',
    schema: z.strictObject({ orderId: opaqueId, items: z.array(item).min(1), shipTo: address, requestedAt: instant }),
  },
  'shipment.cancellation-requested': {
    producer: 'shop',
    version: 1,
    summary: 'The shop asks the warehouse not to dispatch an order (it was cancelled); a parcel that left is not recalled.',
    schema: z.strictObject({ orderId: opaqueId, requestedAt: instant }),
  },
  'shipment.dispatched': {
    producer: 'warehouse',
    version: 1,
    summary: 'The parcel left the warehouse with a carrier.',
    schema: z.strictObject({
      orderId: opaqueId,
      carrier: z.string().min(1).max(60),
      trackingNumber: z.string().min(1).max(60),
      dispatchedAt: instant,
    }),
  },
  'shipment.failed': {
    producer: 'warehouse',
    version: 1,
    summary: 'The warehouse cannot ship the order: items are missing from the shelf.',
    schema: z.strictObject({
      orderId: opaqueId,
      reason: z.literal('items-missing'),
      missing: z.array(item).min(1),
      reportedAt: instant,
    }),
  },
  'shipment.cancelled': {
    producer: 'warehouse',
    version: 1,
    summary: 'The warehouse stopped the shipment before dispatch, as asked.',
    schema: z.strictObject({ orderId: opaqueId, cancelledAt: instant }),
  },
} as const satisfies Record<string, { producer: Producer; version: number; summary: string; schema: z.ZodType }>;

export type Producer = 'shop' | 'warehouse';
export type ContractName = keyof typeof integrationEvents;
export type PayloadOf<C extends ContractName> = z.infer<(typeof integrationEvents)[C]['schema']>;

/** A contract's name with its payload, narrowed by `contract`. */
export type IntegrationEvent = { [C in ContractName]: { readonly contract: C; readonly payload: PayloadOf<C> } }[ContractName];

export const contractNames = Object.keys(integrationEvents) as ContractName[];
export const contractsOf = (producer: Producer): ContractName[] =>
  contractNames.filter((name) => integrationEvents[name].producer === producer);
