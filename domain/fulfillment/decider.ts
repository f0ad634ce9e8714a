import { assertNever, type Decider } from '../decider';
import type { TimerElapsed } from '../timers/events';
import { compensate, refundAnswered, refundFailed, refundRetryDue } from './compensation';
import { Decision, hold, park, requestCharge } from './decision';
import type { FulfillmentEvent } from './events';
import { inputOrderId, type CancelFulfillment, type FulfillmentInput, type ParkFulfillment, type RetryFulfillment } from './inputs';
import { paymentAttemptFailed, paymentCaptured, paymentDeadlinePassed, paymentDeclined, paymentNotFound, paymentRetryDue, statusCheckRetryDue } from './payment';
import { defaultFulfillmentPolicy, type FulfillmentPolicy } from './policy';
import { carrierDelivered, handoverDue, shipmentDispatched, shipmentItemsMissing, warehouseOverdue } from './shipment';
import { evolveFulfillment, initialFulfillmentState, type ActiveFulfillment, type FulfillmentState } from './state';

export { fulfillmentProcessName } from './decision';

type StaffInput = RetryFulfillment | CancelFulfillment | ParkFulfillment;
type ReactedInput = Exclude<FulfillmentInput, StaffInput>;

function decideReacted(input: ReactedInput, d: Decision): void {
  const { state } = d;
  switch (input.type) {
    case 'OrderPlaced':
      return;
    case 'FraudCheckCompleted':
      if (state.status !== 'awaiting-fraud-check') return;
      if (input.data.verdict === 'passed') return requestCharge(d, 1);
      return compensate(d, 'fraud-check-rejected', 'Our fraud check could not approve this order.');
    case 'PaymentCaptured':
      return paymentCaptured(d, input.data, input);
    case 'PaymentDeclined':
      return paymentDeclined(d, input.data);
    case 'PaymentNotFound':
      return paymentNotFound(d, input.data);
    case 'PaymentAttemptFailed':
      return paymentAttemptFailed(d, input.data, input);
    case 'PaymentRefunded':
      return refundAnswered(d, input.data);
    case 'RefundAttemptFailed':
      return refundFailed(d, input.data, input);
    case 'OrderCancelled': {
      if (!isOutsideCancellation(input, state)) return;
      // The order took the cancellation before it heard of the dispatch (the process ships it in the same
      // decision it confirms the dispatch): the parcel is on its way, so staff decide what to undo.
      if (state.status === 'in-transit') return park(d, 'The order was cancelled after the parcel left: recall it or arrange a return, then retry.');
      const cause = input.data.cancelledBy === 'customer' ? 'cancelled-by-customer' : 'cancelled-by-staff';
      return compensate(d, cause, input.data.reason, { orderAlreadyCancelled: true });
    }
    case 'ShipmentDispatched':
      return shipmentDispatched(d, input.data);
    case 'ShipmentItemsMissing':
      return shipmentItemsMissing(d, input.data);
    case 'ShipmentCancelled':
      // The stop the compensation asked for: it did not wait for it.
      return;
    case 'TimerElapsed':
      return timerElapsed(input.data, d);
    // Stryker disable next-line ConditionalExpression: unreachable, the input's type rules it out (assertNever says so at compile time).
    default:
      return assertNever(input);
  }
}

function timerElapsed(timer: TimerElapsed['data'], d: Decision): void {
  // A timer the process cancelled, or replaced, may still fire: only the live one counts.
  if (d.state.timers[timer.name]?.timerId !== timer.timerId) return;
  d.fired.add(timer.timerId);
  switch (timer.name) {
    case 'payment-deadline':
      return paymentDeadlinePassed(d);
    case 'payment-retry':
      return paymentRetryDue(d);
    case 'status-check-retry':
      return statusCheckRetryDue(d);
    case 'refund-retry':
      return refundRetryDue(d);
    case 'handover':
      return handoverDue(d);
    case 'warehouse-overdue':
      return warehouseOverdue(d);
    case 'carrier-delivery':
      return carrierDelivered(d);
    // Stryker disable next-line ConditionalExpression: unreachable, only a timer the process scheduled is live, and it schedules only the names above.
    default:
      return;
  }
}

/** Parked, the process holds every input for staff, and only a staff Retry or Cancel resumes it. */
function decideParked(input: FulfillmentInput, d: Decision): void {
  switch (input.type) {
    case 'RetryFulfillment':
    case 'CancelFulfillment':
      return resume(input, d);
    case 'ParkFulfillment':
      return hold(d, input.data.input);
    default:
      return hold(d, input);
  }
}

/**
 * The process's own CancelOrder (as 'system', or as 'staff' on a staff Cancel) comes back as an input, after
 * the compensation that sent it; any other cancellation is news.
 */
function isOutsideCancellation(input: FulfillmentInput, state: ActiveFulfillment): boolean {
  return input.type === 'OrderCancelled' && !state.compensation && input.data.cancelledBy !== 'system';
}

/**
 * On a Cancel the order is undone first; then what the process held is decided as if it arrived now, in the
 * order it arrived, except that a cancellation of the order goes first: the process already knows of it, and
 * must not hand a cancelled order to the warehouse or ship it because a timer or the warehouse came first.
 * A held failure of a last attempt is the step staff want retried, and is asked again.
 */
function resume(input: RetryFulfillment | CancelFulfillment, d: Decision): void {
  const { held, orderId } = d.state;
  const action = input.type === 'RetryFulfillment' ? 'retry' : 'cancel';
  d.emit({ type: 'FulfillmentResumed', data: { orderId, by: input.data.by, action, resumedAt: d.at } });
  const inputs = held.map((kept) => ({ ...kept, metadata: input.metadata }) as FulfillmentInput);
  for (const kept of inputs) if (kept.type === 'TimerElapsed') d.fired.add(kept.data.timerId);
  if (input.type === 'CancelFulfillment') compensate(d, 'cancelled-by-staff', input.data.reason);
  const cancellations = inputs.filter((kept) => isOutsideCancellation(kept, d.state));
  d.resuming = true;
  // Stryker disable next-line MethodExpression: a cancellation decided a second time is a no-op (the compensation it started is under way); the filter says each is decided once.
  for (const kept of [...cancellations, ...inputs.filter((kept) => !cancellations.includes(kept))]) decideInput(kept, d);
  // Stryker disable next-line BooleanLiteral: resuming is the last step of its decision, and a decision is not reused; reset for the reader.
  d.resuming = false;
}

function decideInput(input: FulfillmentInput, d: Decision): void {
  if (d.state.parked) return decideParked(input, d);
  switch (input.type) {
    case 'ParkFulfillment':
      return park(d, input.data.reason, input.data.input);
    case 'CancelFulfillment':
      return compensate(d, 'cancelled-by-staff', input.data.reason);
    case 'RetryFulfillment':
      return;
    default:
      return decideReacted(input, d);
  }
}

/**
 * The fulfillment process manager's decider: given what happened (an input) and its state, what it does
 * next, as its own events. Pure like an aggregate's decider; the runtime (processes/fulfillment) loads the
 * state from the process's stream, appends the events and sends the commands they imply (./steps.ts) in one
 * transaction. The payment, compensation and shipment steps are in ./payment.ts, ./compensation.ts and
 * ./shipment.ts.
 */
export function fulfillmentProcess(policy: FulfillmentPolicy = defaultFulfillmentPolicy): Decider<FulfillmentState, FulfillmentInput, FulfillmentEvent> {
  return {
    initialState: initialFulfillmentState,
    evolve: evolveFulfillment,
    decide(input, state) {
      const at = input.metadata.now.toISOString();
      if (state.status === 'none') {
        // A process starts with its order, and only for an order paid by card: one placed before checkout
        // took cards (payment null) was moved along by hand and is left as it is.
        if (input.type !== 'OrderPlaced' || !input.data.payment || !input.data.shippingAddress) return [];
        const { orderId, customerId, lines, totalCents, currency, shippingAddress, payment } = input.data;
        const started: FulfillmentEvent = {
          type: 'FulfillmentStarted',
          data: { orderId, customerId, lines, totalCents, currency, shippingAddress, paymentToken: payment.token, startedAt: at },
        };
        const d = new Decision(evolveFulfillment(state, started) as ActiveFulfillment, at, policy);
        d.events.push(started);
        d.schedule('payment-deadline', policy.paymentDeadlineMs);
        return d.events;
      }
      if (inputOrderId(input) !== state.orderId) return [];
      const d = new Decision(state, at, policy);
      decideInput(input, d);
      return d.events;
    },
  };
}
