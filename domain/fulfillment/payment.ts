import { declineMessages, type PaymentAttemptFailed, type PaymentCaptured, type PaymentDeclined, type PaymentNotFound } from '../payment/events';
import { compensate, finishCompensation, refundLateCapture } from './compensation';
import { exhausted, park, requestCharge, requestStatusCheck, type Decision } from './decision';
import type { FulfillmentInput } from './inputs';
import { handOver } from './shipment';

const unconfirmed = 'The payment service did not confirm the payment in time, so nothing was charged.';
const formatCents = (cents: number): string => (cents / 100).toFixed(2);

/** The charge is being asked for or looked up: the states in which a payment answer moves the order. */
const awaitingPayment = (d: Decision) => d.state.status === 'charging' || d.state.status === 'checking-payment';

/** The payment is in: the order is paid, and goes to the warehouse after the cancellation window. */
function settle(d: Decision, chargeId: string, amountCents: number): void {
  d.cancelTimer('payment-deadline').cancelTimer('payment-retry').cancelTimer('status-check-retry');
  d.emit({ type: 'PaymentSettled', data: { orderId: d.state.orderId, chargeId, amountCents, settledAt: d.at } });
  if (d.policy.handoverDelayMs > 0) d.schedule('handover', d.policy.handoverDelayMs);
  else handOver(d);
}

export function paymentCaptured(d: Decision, capture: PaymentCaptured['data'], input: FulfillmentInput): void {
  const { state } = d;
  if (capture.idempotencyKey !== state.chargeKey) return;
  if (state.compensation) return refundLateCapture(d, capture);
  if (!awaitingPayment(d)) return;
  // The order can only be paid its total (the order refuses any other amount): shipping it would ship it unpaid.
  if (capture.amountCents !== state.totalCents) {
    const reason = `The payment service captured ${formatCents(capture.amountCents)}, not the order total of ${formatCents(state.totalCents)}: check the charge, then retry or cancel.`;
    return park(d, reason, input);
  }
  settle(d, capture.chargeId, capture.amountCents);
}

export function paymentDeclined(d: Decision, decline: PaymentDeclined['data']): void {
  if (decline.idempotencyKey !== d.state.chargeKey || d.state.captured) return;
  if (d.state.compensation) return finishCompensation(d, true);
  if (!awaitingPayment(d)) return;
  compensate(d, 'payment-declined', `Payment declined: ${declineMessages[decline.reason]}.`, { chargeAnswered: true });
}

export function paymentNotFound(d: Decision, lookup: PaymentNotFound['data']): void {
  if (lookup.idempotencyKey !== d.state.chargeKey || d.state.captured) return;
  if (d.state.compensation) return finishCompensation(d, true);
  if (d.state.status !== 'checking-payment') return;
  compensate(d, 'payment-unconfirmed', unconfirmed, { chargeAnswered: true });
}

/**
 * A charge or lookup got no answer. Charges are retried after the policy's pauses, then looked up; lookups are
 * repeated after theirs, then the process parks. Once lookups began the process never charges again, so a
 * failure is a lookup's. Only the latest request's failure counts, and only once (a retry already scheduled
 * answered it).
 */
export function paymentAttemptFailed(d: Decision, failure: PaymentAttemptFailed['data'], input: FulfillmentInput): void {
  const { state, policy } = d;
  if (failure.idempotencyKey !== state.chargeKey || !state.paymentInFlight) return;
  if (state.timers['payment-retry'] || state.timers['status-check-retry']) return;
  const lookingUp = state.statusChecks > 0;
  if (failure.attempt !== (lookingUp ? state.statusChecks : state.paymentAttempts)) return;
  if (lookingUp) {
    const pause = policy.statusCheckRetryDelaysMs[state.statusChecks - 1];
    if (pause !== undefined) d.schedule('status-check-retry', pause);
    else exhausted(d, input, `The payment service could not be reached to confirm the payment (${failure.message}).`, () => requestStatusCheck(d));
    return;
  }
  const pause = policy.paymentRetryDelaysMs[state.paymentAttempts - 1];
  // Retried with the same key, so a charge that did go through is answered, not repeated. A cancelled order
  // is not charged again: it only needs to know whether the charge went through.
  if (pause !== undefined && !state.compensation) d.schedule('payment-retry', pause);
  else requestStatusCheck(d);
}

export function paymentRetryDue(d: Decision): void {
  // Stryker disable next-line ConditionalExpression: the retry timer is live only while charging (a lookup, a capture and a compensation all call it off); the check says what a retry needs.
  if (d.state.status === 'charging') requestCharge(d, d.state.paymentAttempts + 1);
}

export function statusCheckRetryDue(d: Decision): void {
  // Stryker disable next-line ConditionalExpression: the lookup timer is live only while the charge's fate is unknown (a capture and the end of a compensation call it off).
  if (d.state.paymentInFlight) requestStatusCheck(d);
}

/**
 * The payment deadline passed. A charge under way is looked up rather than waited for; an order still
 * waiting for its fraud verdict is undone, since nothing was charged.
 */
export function paymentDeadlinePassed(d: Decision): void {
  if (d.state.status === 'charging') return requestStatusCheck(d);
  // Stryker disable next-line ConditionalExpression: the deadline is live only while charging or awaiting the verdict (a lookup, a capture and a compensation call it off).
  if (d.state.status === 'awaiting-fraud-check') {
    compensate(d, 'payment-unconfirmed', 'The payment could not be taken in time, so nothing was charged.');
  }
}
