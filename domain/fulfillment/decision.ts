import type { FulfillmentEvent } from './events';
import type { FulfillmentInput } from './inputs';
import type { FulfillmentPolicy } from './policy';
import { evolveFulfillment, refundKeyFor, type ActiveFulfillment, type FulfillmentTimerName } from './state';

/** The process's name on its timers. */
export const fulfillmentProcessName = 'fulfillment';

/**
 * Collects one decision's events, folding each into the state as it is added, so that a later step of the same
 * decision sees the earlier ones (a timer's id counts the timers before it).
 */
export class Decision {
  readonly events: FulfillmentEvent[] = [];
  /**
   * Set while a resumed process decides what it held: staff resuming is the retry, so a request that fails
   * for the last time then is asked again at once instead of parking again (see `exhausted`).
   */
  resuming = false;
  /**
   * Timers this decision knows have fired (the one it is about, those a parked process held): there is nothing
   * to cancel, and the event a firing leads to retires the timer (./state.ts). By id, since a timer of the same
   * name scheduled later in the decision is a new one.
   */
  readonly fired = new Set<string>();

  constructor(
    private current: ActiveFulfillment,
    readonly at: string,
    readonly policy: FulfillmentPolicy,
  ) {}

  get state(): ActiveFulfillment {
    return this.current;
  }

  emit(event: FulfillmentEvent): this {
    this.events.push(event);
    this.current = evolveFulfillment(this.current, event) as ActiveFulfillment;
    return this;
  }

  schedule(name: FulfillmentTimerName, delayMs: number): this {
    // One live timer per name: a replaced one is cancelled, not left to fire for nothing.
    this.cancelTimer(name);
    const { orderId, timersScheduled } = this.current;
    const dueAt = new Date(Date.parse(this.at) + delayMs).toISOString();
    // Derived, not random: deciding the same input again (after a crash) names the same timer.
    const timerId = `${orderId}.${timersScheduled + 1}.${name}`;
    const timer = { timerId, process: fulfillmentProcessName, processId: orderId, name, dueAt };
    return this.emit({ type: 'TimerScheduled', data: { ...timer, scheduledAt: this.at } });
  }

  cancelTimer(name: string): this {
    const timer = this.current.timers[name];
    if (!timer || this.fired.has(timer.timerId)) return this;
    const { orderId } = this.current;
    return this.emit({
      type: 'TimerCancelled',
      data: { timerId: timer.timerId, process: fulfillmentProcessName, processId: orderId, name, dueAt: timer.dueAt, cancelledAt: this.at },
    });
  }

  cancelTimers(): this {
    for (const name of Object.keys(this.current.timers)) this.cancelTimer(name);
    return this;
  }
}

/** Event text is capped (reasons at 500 characters): a reason quoting a long message must still fit. */
export function reasonText(text: string, fallback: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) return fallback;
  return trimmed.length <= 500 ? trimmed : `${trimmed.slice(0, 499)}…`;
}

export function requestCharge(d: Decision, attempt: number): void {
  const { orderId, chargeKey, paymentToken, totalCents, currency } = d.state;
  // Every attempt carries the one key of this order: the gateway charges it at most once.
  d.emit({
    type: 'PaymentRequested',
    data: { orderId, idempotencyKey: chargeKey, attempt, token: paymentToken, amountCents: totalCents, currency, requestedAt: d.at },
  });
}

/**
 * Asks the gateway what became of the charge. From here on the process only looks up, never charges again, so
 * the retries and the deadline that served the charging are over.
 */
export function requestStatusCheck(d: Decision): void {
  d.cancelTimer('payment-retry').cancelTimer('payment-deadline');
  const { orderId, chargeKey, statusChecks } = d.state;
  d.emit({ type: 'PaymentStatusCheckRequested', data: { orderId, idempotencyKey: chargeKey, attempt: statusChecks + 1, requestedAt: d.at } });
}

export function requestRefund(d: Decision, attempt: number): void {
  const { orderId, chargeKey, captured } = d.state;
  if (!captured) return;
  d.emit({
    type: 'RefundRequested',
    data: { orderId, idempotencyKey: refundKeyFor(orderId), chargeKey, amountCents: captured.amountCents, attempt, requestedAt: d.at },
  });
}

/** Parks for staff; `kept` is the input staff resuming should decide again (a failure to retry, a capture to judge). */
export function park(d: Decision, reason: string, kept?: { type: string; data: object }): void {
  d.emit({ type: 'FulfillmentParked', data: { orderId: d.state.orderId, reason: reasonText(reason, 'Needs staff.'), parkedAt: d.at } });
  if (kept) hold(d, kept);
}

export function hold(d: Decision, kept: { type: string; data: object }): void {
  d.emit({ type: 'FulfillmentInputHeld', data: { orderId: d.state.orderId, input: { type: kept.type, data: { ...kept.data } as Record<string, unknown> }, heldAt: d.at } });
}

/**
 * The last attempt of a request failed. The process parks with the failure held: resuming decides it again,
 * and then (`resuming`) asks once more. Keeping the failure is what tells a resumed process that nothing is
 * outstanding, as opposed to a process parked while a request was still on its way.
 */
export function exhausted(d: Decision, failure: FulfillmentInput, reason: string, askAgain: () => void): void {
  if (d.resuming) askAgain();
  else park(d, reason, failure);
}
