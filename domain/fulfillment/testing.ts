import type { Line } from '../lines';
import type { OrderPayment, ShippingAddress } from '../order/events';
import type { DeclineReason } from '../payment/events';
import { fulfillmentProcess } from './decider';
import type { CompensationCause, CompensationStep, FulfillmentEvent } from './events';
import type { FulfillmentInput } from './inputs';
import type { FulfillmentPolicy } from './policy';

/**
 * Builders for the fulfillment specs: one order, its inputs and the events the process records, each at a
 * moment given in seconds after `start`. Every delay of the policy is distinct, so a timer's `dueAt` says which
 * delay it was scheduled with.
 */
export const policy: FulfillmentPolicy = {
  paymentDeadlineMs: 600_000,
  paymentRetryDelaysMs: [1_000, 2_000],
  statusCheckRetryDelaysMs: [3_000, 4_000],
  refundRetryDelaysMs: [5_000, 6_000],
  handoverDelayMs: 7_000,
  warehouseOverdueMs: 800_000,
  carrierDeliveryMs: 900_000,
};
export const process = fulfillmentProcess(policy);

const start = Date.parse('2025-05-01T09:00:00.000Z');
export const date = (second: number): Date => new Date(start + second * 1000);
export const iso = (second: number): string => date(second).toISOString();

export const orderId = 'o-1';
export const chargeKey = 'charge-o-1';
export const refundKey = 'refund-o-1';
export const lines: Line[] = [
  { productId: 'p-1', name: 'Blue Mug', unitPriceCents: 1250, quantity: 2 },
  { productId: 'p-2', name: 'Green Tea', unitPriceCents: 499, quantity: 1 },
];
export const totalCents = 2999;
export const shippingAddress: ShippingAddress = { name: 'Maya Okafor', line1: '12 Canal Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };
export const card: OrderPayment = { token: 'tok_visa_4242', last4: '4242', brand: 'Visa', cardRisk: 'normal' };

type InputOf<T extends FulfillmentInput['type']> = Extract<FulfillmentInput, { type: T }>;
export const input = <T extends FulfillmentInput['type']>(type: T, data: InputOf<T>['data'], second: number): FulfillmentInput =>
  ({ type, data, metadata: { now: date(second) } }) as FulfillmentInput;

// What the process reacts to.
export const orderPlaced = (second: number, payment: OrderPayment | null = card, id = orderId) =>
  input('OrderPlaced', { orderId: id, customerId: 'u-1', cartId: 'c-1', lines, totalCents, currency: 'USD', shippingAddress, payment, placedAt: iso(second) }, second);
export const fraudChecked = (verdict: 'passed' | 'rejected', second: number, id = orderId) =>
  input('FraudCheckCompleted', { orderId: id, customerId: 'u-1', verdict, score: verdict === 'passed' ? 0 : 100, reasons: [], placedAt: iso(0), checkedAt: iso(second) }, second);
export const captured = (second: number, amountCents = totalCents, idempotencyKey = chargeKey) =>
  input('PaymentCaptured', { orderId, idempotencyKey, chargeId: 'ch-1', amountCents, capturedAt: iso(second) }, second);
export const declined = (reason: DeclineReason, second: number) =>
  input('PaymentDeclined', { orderId, idempotencyKey: chargeKey, reason, message: 'Declined.', declinedAt: iso(second) }, second);
export const attemptFailed = (attempt: number, second: number, message = 'The gateway did not answer in time.') =>
  input('PaymentAttemptFailed', { orderId, idempotencyKey: chargeKey, attempt, failure: 'timeout', message, failedAt: iso(second) }, second);
export const notFound = (second: number) => input('PaymentNotFound', { orderId, idempotencyKey: chargeKey, checkedAt: iso(second) }, second);
export const refunded = (second: number, idempotencyKey = refundKey) =>
  input('PaymentRefunded', { orderId, idempotencyKey, refundId: 're-1', amountCents: totalCents, refundedAt: iso(second) }, second);
export const refundFailed = (attempt: number, second: number, message = 'The gateway is unavailable.') =>
  input('RefundAttemptFailed', { orderId, idempotencyKey: refundKey, attempt, message, failedAt: iso(second) }, second);
export const dispatched = (second: number) =>
  input('ShipmentDispatched', { orderId, carrier: 'Parcel Post', trackingNumber: 'PP123', dispatchedAt: iso(second) }, second);
export const itemsMissing = (second: number) =>
  input('ShipmentItemsMissing', { orderId, missing: [{ productId: 'p-2', name: 'Green Tea', quantity: 1 }], reportedAt: iso(second) }, second);
export const shipmentCancelled = (second: number) => input('ShipmentCancelled', { orderId, cancelledAt: iso(second) }, second);
export const orderCancelled = (cancelledBy: 'customer' | 'staff' | 'system', second: number, reason = 'Changed my mind') =>
  input('OrderCancelled', { orderId, reason, cancelledBy, cancelledAt: iso(second) }, second);
export const retry = (second: number) => input('RetryFulfillment', { orderId, by: 'staff:ana' }, second);
export const cancel = (second: number, reason = 'Customer asked by phone') =>
  input('CancelFulfillment', { orderId, by: 'staff:ana', reason }, second);
export const parkInput = (second: number, held: { type: string; data: object }) =>
  input('ParkFulfillment', { orderId, reason: 'Could not handle TimerElapsed: boom', input: held }, second);

/**
 * The process's n-th timer (n counts every timer it ever scheduled), set at `second` with `delayMs`: the
 * event scheduling it, cancelling it, and its firing as an input.
 */
export function timer(n: number, name: string, second: number, delayMs: number) {
  const fields = { timerId: `${orderId}.${n}.${name}`, process: 'fulfillment', processId: orderId, name, dueAt: new Date(date(second).getTime() + delayMs).toISOString() };
  return {
    scheduled: { type: 'TimerScheduled', data: { ...fields, scheduledAt: iso(second) } } as FulfillmentEvent,
    cancelled: (at: number): FulfillmentEvent => ({ type: 'TimerCancelled', data: { ...fields, cancelledAt: iso(at) } }),
    fires: (at: number) => input('TimerElapsed', { ...fields, elapsedAt: iso(at) }, at),
  };
}

// What the process records.
export const fulfillmentStarted: FulfillmentEvent = {
  type: 'FulfillmentStarted',
  data: { orderId, customerId: 'u-1', lines, totalCents, currency: 'USD', shippingAddress, paymentToken: card.token, startedAt: iso(0) },
};
export const paymentRequested = (attempt: number, second: number): FulfillmentEvent => ({
  type: 'PaymentRequested',
  data: { orderId, idempotencyKey: chargeKey, attempt, token: card.token, amountCents: totalCents, currency: 'USD', requestedAt: iso(second) },
});
export const statusCheckRequested = (attempt: number, second: number): FulfillmentEvent => ({
  type: 'PaymentStatusCheckRequested',
  data: { orderId, idempotencyKey: chargeKey, attempt, requestedAt: iso(second) },
});
export const paymentSettled = (second: number, amountCents = totalCents): FulfillmentEvent => ({
  type: 'PaymentSettled',
  data: { orderId, chargeId: 'ch-1', amountCents, settledAt: iso(second) },
});
export const shipmentRequested = (second: number): FulfillmentEvent => ({
  type: 'ShipmentRequested',
  data: { orderId, lines, shippingAddress, requestedAt: iso(second) },
});
export const shipmentCancellationRequested = (second: number): FulfillmentEvent => ({
  type: 'ShipmentCancellationRequested',
  data: { orderId, requestedAt: iso(second) },
});
export const shipmentConfirmed = (second: number): FulfillmentEvent => ({
  type: 'ShipmentConfirmed',
  data: { orderId, carrier: 'Parcel Post', trackingNumber: 'PP123', confirmedAt: iso(second) },
});
export const deliveryConfirmed = (second: number): FulfillmentEvent => ({ type: 'DeliveryConfirmed', data: { orderId, confirmedAt: iso(second) } });
export const fulfillmentCompleted = (second: number): FulfillmentEvent => ({ type: 'FulfillmentCompleted', data: { orderId, completedAt: iso(second) } });
export const fulfillmentDelayed = (since: number, second: number): FulfillmentEvent => ({
  type: 'FulfillmentDelayed',
  data: { orderId, waitingFor: 'warehouse', since: iso(since), alertedAt: iso(second) },
});
export const compensationStarted = (cause: CompensationCause, reason: string, steps: CompensationStep[], second: number): FulfillmentEvent => ({
  type: 'CompensationStarted',
  data: { orderId, cause, reason, steps, startedAt: iso(second) },
});
export const refundRequested = (attempt: number, second: number): FulfillmentEvent => ({
  type: 'RefundRequested',
  data: { orderId, idempotencyKey: refundKey, chargeKey, amountCents: totalCents, attempt, requestedAt: iso(second) },
});
export const fulfillmentCancelled = (cause: CompensationCause, reason: string, refundedCents: number, second: number): FulfillmentEvent => ({
  type: 'FulfillmentCancelled',
  data: { orderId, cause, reason, refundedCents, cancelledAt: iso(second) },
});
export const parked = (reason: string, second: number): FulfillmentEvent => ({ type: 'FulfillmentParked', data: { orderId, reason, parkedAt: iso(second) } });
export const held = (kept: FulfillmentInput | { type: string; data: object }, second: number): FulfillmentEvent => ({
  type: 'FulfillmentInputHeld',
  data: { orderId, input: { type: kept.type, data: { ...kept.data } as Record<string, unknown> }, heldAt: iso(second) },
});
export const resumed = (action: 'retry' | 'cancel', second: number): FulfillmentEvent => ({
  type: 'FulfillmentResumed',
  data: { orderId, by: 'staff:ana', action, resumedAt: iso(second) },
});

/** The happy path, one decision per line (at seconds 0, 1, 2, 9 and 20); the specs build every other history from it. */
export const deadline = timer(1, 'payment-deadline', 0, policy.paymentDeadlineMs);
export const handover = timer(2, 'handover', 2, policy.handoverDelayMs);
export const overdue = timer(3, 'warehouse-overdue', 9, policy.warehouseOverdueMs);
export const carrier = timer(4, 'carrier-delivery', 20, policy.carrierDeliveryMs);

export const started = [fulfillmentStarted, deadline.scheduled];
export const charging = [...started, paymentRequested(1, 1)];

// A charge that got no answer three times, then a lookup that got none either: the process waits out the
// pause before its second lookup.
export const retry1 = timer(2, 'payment-retry', 2, policy.paymentRetryDelaysMs[0]!);
export const retry2 = timer(3, 'payment-retry', 4, policy.paymentRetryDelaysMs[1]!);
export const lookupPause = timer(4, 'status-check-retry', 8, policy.statusCheckRetryDelaysMs[0]!);
export const betweenLookups = [
  ...charging,
  retry1.scheduled,
  paymentRequested(2, 3),
  retry2.scheduled,
  paymentRequested(3, 6),
  deadline.cancelled(7),
  statusCheckRequested(1, 7),
  lookupPause.scheduled,
];
export const paid = [...charging, deadline.cancelled(2), paymentSettled(2), handover.scheduled];
export const handedOver = [...paid, shipmentRequested(9), overdue.scheduled];
export const inTransit = [...handedOver, overdue.cancelled(20), shipmentConfirmed(20), carrier.scheduled];

