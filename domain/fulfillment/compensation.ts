import type { PaymentRefunded, RefundAttemptFailed } from '../payment/events';
import { exhausted, reasonText, requestRefund, requestStatusCheck, type Decision } from './decision';
import type { CompensationCause } from './events';
import type { FulfillmentInput } from './inputs';
import { refundKeyFor } from './state';
import { compensationsFor } from './steps';

export type CompensationOptions = {
  /** Whoever cancelled the order did so already: the process must not cancel it again. */
  readonly orderAlreadyCancelled?: boolean;
  /** The failure is itself the charge's answer (a decline, no such charge): its fate is known. */
  readonly chargeAnswered?: boolean;
  /** The failure is itself the warehouse's answer (items missing): there is no shipment left to stop. */
  readonly shipmentAnswered?: boolean;
};

/**
 * Undoes what was done, latest first (./steps.ts): stops a shipment not yet answered, refunds a captured
 * payment, releases the stock and cancels the order. Stock and order are commands in this same decision;
 * the refund is a request whose answer ends the compensation, as does the answer to a charge whose fate is
 * not known yet (a late capture is refunded). A stopped shipment is not waited for: the warehouse answers
 * only if it could stop it, and a parcel that left anyway parks the process for staff.
 */
export function compensate(d: Decision, cause: CompensationCause, reason: string, options: CompensationOptions = {}): void {
  const { status, compensation, paymentInFlight, timers } = d.state;
  // Once the parcel has left there is nothing here to undo (the order cannot be cancelled once shipped). A
  // cancelled process is one whose compensation ended, so `compensation` stands for that status too.
  if (compensation || status === 'completed' || status === 'in-transit') return;
  // In a retry pause nothing is on its way to the gateway: waiting out the pause would only keep the order open.
  const paused = paymentInFlight && !options.chargeAnswered && Boolean(timers['payment-retry'] ?? timers['status-check-retry']);
  d.cancelTimers();
  const steps = compensationsFor(d.state, options.orderAlreadyCancelled ?? false, options.shipmentAnswered ?? false);
  const { orderId } = d.state;
  d.emit({ type: 'CompensationStarted', data: { orderId, cause, reason: reasonText(reason, 'The order was cancelled.'), steps, startedAt: d.at } });
  if (steps.includes('cancel-shipment')) d.emit({ type: 'ShipmentCancellationRequested', data: { orderId, requestedAt: d.at } });
  // Stryker disable next-line ConditionalExpression: the step is there exactly when a charge was captured, and requestRefund refunds nothing else.
  if (steps.includes('refund-payment')) requestRefund(d, 1);
  if (paused) requestStatusCheck(d);
  finishCompensation(d, options.chargeAnswered ?? false);
}

/**
 * Ends the compensation once nothing is outstanding: no refund unanswered, no charge whose fate is unknown.
 * `chargeAnswered` says this decision learnt the charge was not taken; `refundedCents`, that the refund is in.
 */
export function finishCompensation(d: Decision, chargeAnswered: boolean, refundedCents?: number): void {
  const { status, compensation, refund, paymentInFlight, orderId } = d.state;
  if (status !== 'compensating' || !compensation) return;
  if (paymentInFlight && !chargeAnswered) return;
  if (refund && !refund.done && refundedCents === undefined) return;
  d.cancelTimers();
  d.emit({
    type: 'FulfillmentCancelled',
    data: { orderId, cause: compensation.cause, reason: compensation.reason, refundedCents: refundedCents ?? 0, cancelledAt: d.at },
  });
}

/** A charge captured while (or after) undoing the order: the money goes straight back. */
export function refundLateCapture(d: Decision, charge: { chargeId: string; amountCents: number }): void {
  const { orderId, compensation, captured } = d.state;
  if (!compensation || captured) return;
  d.cancelTimers();
  d.emit({ type: 'PaymentSettled', data: { orderId, chargeId: charge.chargeId, amountCents: charge.amountCents, settledAt: d.at } });
  // The compensation gains a step it did not have when it started; the trace says so.
  d.emit({ type: 'CompensationStarted', data: { orderId, ...compensation, steps: ['refund-payment'], startedAt: d.at } });
  requestRefund(d, 1);
}

export function refundAnswered(d: Decision, answer: PaymentRefunded['data']): void {
  const { refund, orderId } = d.state;
  if (answer.idempotencyKey !== refundKeyFor(orderId) || !refund || refund.done) return;
  // Stryker disable next-line BooleanLiteral: a refund is only asked for a captured charge, so no charge is in flight here either way.
  finishCompensation(d, false, answer.amountCents);
}

export function refundFailed(d: Decision, failure: RefundAttemptFailed['data'], input: FulfillmentInput): void {
  const { refund, orderId, timers } = d.state;
  if (failure.idempotencyKey !== refundKeyFor(orderId) || !refund || refund.done) return;
  // Only the latest attempt's failure counts, and only once: an earlier one was answered by the retry.
  if (failure.attempt !== refund.attempts || timers['refund-retry']) return;
  const pause = d.policy.refundRetryDelaysMs[refund.attempts - 1];
  if (pause !== undefined) d.schedule('refund-retry', pause);
  else exhausted(d, input, `The refund could not be made (${failure.message}).`, () => requestRefund(d, refund.attempts + 1));
}

export function refundRetryDue(d: Decision): void {
  const { refund } = d.state;
  if (refund && !refund.done) requestRefund(d, refund.attempts + 1);
}
