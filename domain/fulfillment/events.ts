import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { lineSchema } from '../lines';
import { shippingAddressSchema } from '../order/events';
import { cents, count, id, instant, type EventVersions } from '../schema';
import { timerEventSchemas, type TimerCancelled, type TimerScheduled } from '../timers/events';

/**
 * The fulfillment process's own stream, `fulfillment-<orderId>`: every decision it made, in order. Its state is
 * folded from these alone; what it reacted to is in the other streams, linked by each event's causation id.
 * Requests to outside services (the payment gateway, the warehouse) are recorded here and carried out by
 * the steps that read them, so a request exists exactly when the decision to make it committed.
 */
export const fulfillmentEventTypes = [
  'FulfillmentStarted',
  'PaymentRequested',
  'PaymentStatusCheckRequested',
  'PaymentSettled',
  'ShipmentRequested',
  'ShipmentCancellationRequested',
  'ShipmentConfirmed',
  'DeliveryConfirmed',
  'FulfillmentCompleted',
  'FulfillmentDelayed',
  'CompensationStarted',
  'RefundRequested',
  'FulfillmentCancelled',
  'FulfillmentStepRefused',
  'FulfillmentParked',
  'FulfillmentInputHeld',
  'FulfillmentResumed',
  'TimerScheduled',
  'TimerCancelled',
] as const;

/** Why an order is being undone: each has its own words for the shopper (see `compensationReason`). */
export const compensationCauses = [
  'fraud-check-rejected',
  'payment-declined',
  'payment-unconfirmed',
  'items-missing',
  'cancelled-by-customer',
  'cancelled-by-staff',
] as const;
export type CompensationCause = (typeof compensationCauses)[number];

/** The steps that undo what was done, in the order they run (see `compensationFor` in ./steps.ts). */
export const compensationSteps = ['cancel-shipment', 'refund-payment', 'release-stock', 'cancel-order'] as const;
export type CompensationStep = (typeof compensationSteps)[number];

const key = z.string().min(1).max(200);
const reason = z.string().min(1).max(500);

const fulfillmentStartedV1 = z.strictObject({
  orderId: id,
  customerId: id,
  lines: z.array(lineSchema),
  totalCents: cents,
  currency: z.string().regex(/^[A-Z]{3}$/),
  shippingAddress: shippingAddressSchema,
  paymentToken: z.string().min(1).max(200),
  startedAt: instant,
});
const paymentRequestedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  attempt: z.number().int().min(1),
  token: z.string().min(1).max(200),
  amountCents: cents,
  currency: z.string().regex(/^[A-Z]{3}$/),
  requestedAt: instant,
});
const paymentStatusCheckRequestedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  attempt: z.number().int().min(1),
  requestedAt: instant,
});
const paymentSettledV1 = z.strictObject({ orderId: id, chargeId: z.string().min(1).max(200), amountCents: cents, settledAt: instant });
const shipmentRequestedV1 = z.strictObject({
  orderId: id,
  lines: z.array(lineSchema),
  shippingAddress: shippingAddressSchema,
  requestedAt: instant,
});
const shipmentCancellationRequestedV1 = z.strictObject({ orderId: id, requestedAt: instant });
const shipmentConfirmedV1 = z.strictObject({
  orderId: id,
  carrier: z.string().min(1).max(60),
  trackingNumber: z.string().min(1).max(60),
  confirmedAt: instant,
});
const deliveryConfirmedV1 = z.strictObject({ orderId: id, confirmedAt: instant });
const fulfillmentCompletedV1 = z.strictObject({ orderId: id, completedAt: instant });
/** The warehouse has not answered within the policy's time: staff are told, and the process keeps waiting. */
const fulfillmentDelayedV1 = z.strictObject({ orderId: id, waitingFor: z.literal('warehouse'), since: instant, alertedAt: instant });
const compensationStartedV1 = z.strictObject({
  orderId: id,
  cause: z.enum(compensationCauses),
  reason,
  steps: z.array(z.enum(compensationSteps)),
  startedAt: instant,
});
const refundRequestedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  chargeKey: key,
  amountCents: cents,
  attempt: z.number().int().min(1),
  requestedAt: instant,
});
const fulfillmentCancelledV1 = z.strictObject({
  orderId: id,
  cause: z.enum(compensationCauses),
  reason,
  refundedCents: count,
  cancelledAt: instant,
});
/** An aggregate refused a command the process sent (the order moved on meanwhile); kept for the trace. */
const fulfillmentStepRefusedV1 = z.strictObject({ orderId: id, command: z.string().max(60), reason, refusedAt: instant });
const fulfillmentParkedV1 = z.strictObject({ orderId: id, reason, parkedAt: instant });
/** An input that arrived while parked, kept in order and decided on when the process resumes. */
const fulfillmentInputHeldV1 = z.strictObject({
  orderId: id,
  input: z.strictObject({ type: z.string().min(1).max(60), data: z.record(z.string(), z.unknown()) }),
  heldAt: instant,
});
const fulfillmentResumedV1 = z.strictObject({
  orderId: id,
  by: z.string().min(1).max(200),
  action: z.enum(['retry', 'cancel']),
  resumedAt: instant,
});

export type FulfillmentStarted = DomainEvent<'FulfillmentStarted', z.infer<typeof fulfillmentStartedV1>>;
export type PaymentRequested = DomainEvent<'PaymentRequested', z.infer<typeof paymentRequestedV1>>;
export type PaymentStatusCheckRequested = DomainEvent<'PaymentStatusCheckRequested', z.infer<typeof paymentStatusCheckRequestedV1>>;
export type PaymentSettled = DomainEvent<'PaymentSettled', z.infer<typeof paymentSettledV1>>;
export type ShipmentRequested = DomainEvent<'ShipmentRequested', z.infer<typeof shipmentRequestedV1>>;
export type ShipmentCancellationRequested = DomainEvent<'ShipmentCancellationRequested', z.infer<typeof shipmentCancellationRequestedV1>>;
export type ShipmentConfirmed = DomainEvent<'ShipmentConfirmed', z.infer<typeof shipmentConfirmedV1>>;
export type DeliveryConfirmed = DomainEvent<'DeliveryConfirmed', z.infer<typeof deliveryConfirmedV1>>;
export type FulfillmentCompleted = DomainEvent<'FulfillmentCompleted', z.infer<typeof fulfillmentCompletedV1>>;
export type FulfillmentDelayed = DomainEvent<'FulfillmentDelayed', z.infer<typeof fulfillmentDelayedV1>>;
export type CompensationStarted = DomainEvent<'CompensationStarted', z.infer<typeof compensationStartedV1>>;
export type RefundRequested = DomainEvent<'RefundRequested', z.infer<typeof refundRequestedV1>>;
export type FulfillmentCancelled = DomainEvent<'FulfillmentCancelled', z.infer<typeof fulfillmentCancelledV1>>;
export type FulfillmentStepRefused = DomainEvent<'FulfillmentStepRefused', z.infer<typeof fulfillmentStepRefusedV1>>;
export type FulfillmentParked = DomainEvent<'FulfillmentParked', z.infer<typeof fulfillmentParkedV1>>;
export type FulfillmentInputHeld = DomainEvent<'FulfillmentInputHeld', z.infer<typeof fulfillmentInputHeldV1>>;
export type FulfillmentResumed = DomainEvent<'FulfillmentResumed', z.infer<typeof fulfillmentResumedV1>>;

export type FulfillmentEvent =
  | FulfillmentStarted
  | PaymentRequested
  | PaymentStatusCheckRequested
  | PaymentSettled
  | ShipmentRequested
  | ShipmentCancellationRequested
  | ShipmentConfirmed
  | DeliveryConfirmed
  | FulfillmentCompleted
  | FulfillmentDelayed
  | CompensationStarted
  | RefundRequested
  | FulfillmentCancelled
  | FulfillmentStepRefused
  | FulfillmentParked
  | FulfillmentInputHeld
  | FulfillmentResumed
  | TimerScheduled
  | TimerCancelled;

export const fulfillmentStreamId = (orderId: string): string => `fulfillment-${orderId}`;
export const fulfillmentStreamPrefix = 'fulfillment-';

/** Every stored version of each fulfillment event (docs/event-versioning.md). Timer events are shared. */
export const fulfillmentEventSchemas = {
  FulfillmentStarted: [{ schema: fulfillmentStartedV1 }],
  PaymentRequested: [{ schema: paymentRequestedV1 }],
  PaymentStatusCheckRequested: [{ schema: paymentStatusCheckRequestedV1 }],
  PaymentSettled: [{ schema: paymentSettledV1 }],
  ShipmentRequested: [{ schema: shipmentRequestedV1 }],
  ShipmentCancellationRequested: [{ schema: shipmentCancellationRequestedV1 }],
  ShipmentConfirmed: [{ schema: shipmentConfirmedV1 }],
  DeliveryConfirmed: [{ schema: deliveryConfirmedV1 }],
  FulfillmentCompleted: [{ schema: fulfillmentCompletedV1 }],
  FulfillmentDelayed: [{ schema: fulfillmentDelayedV1 }],
  CompensationStarted: [{ schema: compensationStartedV1 }],
  RefundRequested: [{ schema: refundRequestedV1 }],
  FulfillmentCancelled: [{ schema: fulfillmentCancelledV1 }],
  FulfillmentStepRefused: [{ schema: fulfillmentStepRefusedV1 }],
  FulfillmentParked: [{ schema: fulfillmentParkedV1 }],
  FulfillmentInputHeld: [{ schema: fulfillmentInputHeldV1 }],
  FulfillmentResumed: [{ schema: fulfillmentResumedV1 }],
} as const satisfies Record<Exclude<FulfillmentEvent['type'], keyof typeof timerEventSchemas>, EventVersions>;
