import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { shopEventSchemas } from '../index';
import type { TimerElapsed } from '../timers/events';
import { commandsFor, type FulfillmentEvent, type FulfillmentInput, type FulfillmentState, type ProcessCommand } from './index';
import {
  attemptFailed,
  captured,
  chargeKey,
  declined,
  dispatched,
  fraudChecked,
  input,
  itemsMissing,
  lines,
  notFound,
  orderCancelled,
  orderPlaced,
  process,
  refunded,
  refundFailed,
  totalCents,
} from './testing';

/**
 * Random interleavings of everything the process can be told, against a small model of the world it talks to:
 * a gateway that charges a key at most once and refunds at most once, an order that refuses what it cannot
 * do, a warehouse, and a timer service that fires each live timer once (and, now and then, one just cancelled).
 * The runtime may crash on any input, parking the process with it; staff may Retry or Cancel at any time.
 * After the random part the world answers everything and staff retry whatever parked, and the process must
 * have come to rest: delivered and paid, or cancelled with the stock back and the money refunded.
 */
type Action =
  | { kind: 'fraud'; verdict: 'passed' | 'rejected' }
  | { kind: 'payment'; outcome: 'captured' | 'declined' | 'timeout' | 'timeout-but-charged'; crash: boolean }
  | { kind: 'refund'; outcome: 'refunded' | 'failed' | 'failed-but-refunded'; crash: boolean }
  | { kind: 'warehouse'; outcome: 'dispatched' | 'missing'; crash: boolean }
  | { kind: 'timer'; pick: number; crash: boolean }
  | { kind: 'cancelled-timer'; pick: number }
  | { kind: 'customer-cancel' }
  | { kind: 'order-event'; crash: boolean }
  | { kind: 'staff'; action: 'retry' | 'cancel' };

const crash = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('fraud' as const), verdict: fc.constantFrom('passed' as const, 'rejected' as const) }),
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('payment' as const), outcome: fc.constantFrom('captured' as const, 'declined' as const, 'timeout' as const, 'timeout-but-charged' as const), crash }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), outcome: fc.constantFrom('refunded' as const, 'failed' as const, 'failed-but-refunded' as const), crash }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('warehouse' as const), outcome: fc.constantFrom('dispatched' as const, 'missing' as const), crash }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('timer' as const), pick: fc.nat(), crash }) },
  fc.record({ kind: fc.constant('cancelled-timer' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('customer-cancel' as const) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('order-event' as const), crash }) },
  fc.record({ kind: fc.constant('staff' as const), action: fc.constantFrom('retry' as const, 'cancel' as const) }),
);

type Timer = { data: Omit<TimerElapsed['data'], 'elapsedAt'>; state: 'live' | 'cancelled' | 'fired' };

class World {
  second = 0;
  state: FulfillmentState = process.initialState();
  readonly decided: FulfillmentEvent[] = [];
  readonly violations: string[] = [];
  gateway = { charge: 'none' as 'none' | 'captured' | 'declined', refunded: false };
  order: 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' = 'placed';
  warehouse: 'none' | 'dispatched' | 'missing' | 'stopped' = 'none';
  fraudChecked = false;
  readonly payments: { kind: 'charge' | 'lookup'; attempt: number }[] = [];
  readonly refunds: number[] = [];
  readonly shipments: ('ship' | 'stop')[] = [];
  /**
   * The order's cancellations, the customer's and the process's own, on their way to the process. The process
   * reads one log in order, so only a decision made at the same moment can overtake one: each waits for at most
   * one other input (`overtaken`), which is the race of a decision whose command the order then refuses.
   */
  readonly orderEvents: { input: FulfillmentInput; overtaken: number }[] = [];
  readonly timers = new Map<string, Timer>();
  readonly released = new Map<string, number>();
  paidByProcess = false;
  shipped = false;
  refundOutstanding = false;

  constructor() {
    this.decide(orderPlaced(0));
  }

  get parked(): boolean {
    return this.state.status !== 'none' && this.state.parked !== null;
  }

  /** The input an action leads to, if any, after the world changed as the action says. */
  inputFor(step: Action): FulfillmentInput | null {
    this.second += 1;
    switch (step.kind) {
      case 'fraud':
        if (this.fraudChecked) return null;
        this.fraudChecked = true;
        return fraudChecked(step.verdict, this.second);
      case 'payment':
        return this.crashing(step.crash, this.paymentAnswer(step.outcome));
      case 'refund':
        return this.crashing(step.crash, this.refundAnswer(step.outcome));
      case 'warehouse':
        return this.crashing(step.crash, this.warehouseAnswer(step.outcome));
      case 'timer':
        return this.crashing(step.crash, this.fire('live', step.pick));
      case 'cancelled-timer':
        return this.fire('cancelled', step.pick);
      case 'customer-cancel':
        // The order takes it at once; the process hears of it when it reads the event.
        if (this.order === 'placed' || this.order === 'paid') {
          this.order = 'cancelled';
          this.orderEvents.push({ input: orderCancelled('customer', this.second), overtaken: 0 });
        }
        return null;
      case 'order-event':
        return this.crashing(step.crash, this.orderEvents.shift()?.input ?? null);
      case 'staff':
        return input(step.action === 'retry' ? 'RetryFulfillment' : 'CancelFulfillment', { orderId: 'o-1', by: 'staff:ana', reason: 'Staff cancelled' }, this.second);
    }
  }

  private crashing(crashes: boolean, answer: FulfillmentInput | null): FulfillmentInput | null {
    if (!answer || !crashes) return answer;
    return input('ParkFulfillment', { orderId: 'o-1', reason: `Could not handle ${answer.type}: boom`, input: { type: answer.type, data: answer.data } }, this.second);
  }

  private paymentAnswer(outcome: Extract<Action, { kind: 'payment' }>['outcome']): FulfillmentInput | null {
    const request = this.payments.shift();
    if (!request) return null;
    if (request.kind === 'charge' && this.gateway.charge === 'none' && outcome !== 'timeout') {
      this.gateway.charge = outcome === 'declined' ? 'declined' : 'captured';
    }
    if (outcome === 'timeout' || outcome === 'timeout-but-charged') return attemptFailed(request.attempt, this.second);
    if (this.gateway.charge === 'captured') return captured(this.second);
    if (this.gateway.charge === 'declined') return declined('card_declined', this.second);
    return notFound(this.second);
  }

  private refundAnswer(outcome: Extract<Action, { kind: 'refund' }>['outcome']): FulfillmentInput | null {
    const attempt = this.refunds.shift();
    if (attempt === undefined) return null;
    this.refundOutstanding = false;
    const refundable = this.gateway.charge === 'captured';
    if (outcome !== 'failed' && refundable) this.gateway.refunded = true;
    if (outcome === 'refunded' && refundable) return refunded(this.second);
    return refundFailed(attempt, this.second);
  }

  private warehouseAnswer(outcome: 'dispatched' | 'missing'): FulfillmentInput | null {
    const request = this.shipments.shift();
    if (!request) return null;
    if (request === 'stop') {
      // As the warehouse does: a parcel that left cannot be stopped, and gets no answer.
      if (this.warehouse === 'dispatched') return null;
      this.warehouse = 'stopped';
      return input('ShipmentCancelled', { orderId: 'o-1', cancelledAt: new Date(0).toISOString() }, this.second);
    }
    if (this.warehouse !== 'none') return null;
    this.warehouse = outcome;
    return outcome === 'dispatched' ? dispatched(this.second) : itemsMissing(this.second);
  }

  private fire(from: 'live' | 'cancelled', pick: number): FulfillmentInput | null {
    const candidates = [...this.timers.values()].filter((timer) => timer.state === from);
    const timer = candidates[pick % Math.max(candidates.length, 1)];
    if (!timer) return null;
    timer.state = 'fired';
    this.second = Math.max(this.second, Math.ceil((Date.parse(timer.data.dueAt) - Date.parse(orderPlaced(0).metadata.now.toISOString())) / 1000));
    return input('TimerElapsed', { ...timer.data, elapsedAt: orderPlaced(this.second).metadata.now.toISOString() }, this.second);
  }

  /** Decides the input an action leads to, after an order event that may wait no longer. */
  act(step: Action): void {
    const due = this.orderEvents[0];
    if (due && due.overtaken > 0) this.decide(this.orderEvents.shift()!.input);
    const next = this.inputFor(step);
    if (!next) return;
    for (const waiting of this.orderEvents) waiting.overtaken += 1;
    this.decide(next);
  }

  decide(next: FulfillmentInput): void {
    const events = process.decide(next, this.state);
    for (const event of events) {
      this.check(event);
      const commands = this.state.status === 'none' ? [] : commandsFor(event, this.state);
      for (const command of commands) this.send(command);
      this.state = process.evolve(this.state, event);
      this.record(event);
    }
  }

  private check(event: FulfillmentEvent): void {
    const versions = shopEventSchemas[event.type] as readonly { schema: z.ZodType }[];
    if (!versions[versions.length - 1]!.schema.safeParse(event.data).success) this.violations.push(`${event.type} does not match its schema`);
    const before = this.state.status === 'none' ? null : this.state;
    const count = (type: FulfillmentEvent['type']) => this.decided.filter((earlier) => earlier.type === type).length;
    switch (event.type) {
      case 'PaymentRequested':
        if (event.data.idempotencyKey !== chargeKey) this.violations.push('a charge under a second key');
        if (before?.compensation || before?.statusChecks) this.violations.push('a charge after the process stopped charging');
        break;
      case 'PaymentSettled':
        if (count('PaymentSettled') > 0) this.violations.push('a second PaymentSettled');
        if (this.gateway.charge !== 'captured') this.violations.push('settled without a capture');
        break;
      case 'RefundRequested':
        if (this.gateway.charge !== 'captured' || count('PaymentSettled') === 0) this.violations.push('a refund without a capture');
        if (this.refundOutstanding) this.violations.push('a refund asked again while the last was unanswered');
        break;
      case 'ShipmentRequested':
        if (!this.paidByProcess || before?.compensation) this.violations.push('shipped unpaid');
        break;
      case 'FulfillmentCancelled':
        if (event.data.refundedCents > 0 && this.decided.some((earlier) => earlier.type === 'FulfillmentCancelled' && earlier.data.refundedCents > 0)) {
          this.violations.push('refunded twice');
        }
        break;
      default:
        break;
    }
  }

  /** What the order and product aggregates make of a command the process sent. */
  private send(command: ProcessCommand): void {
    switch (command.type) {
      case 'PayOrder':
        if (this.order === 'placed' && command.data.amountCents === totalCents) [this.order, this.paidByProcess] = ['paid', true];
        break;
      case 'ShipOrder':
        // Refused by an order cancelled a moment before the process heard of it: that race parks the process.
        if (this.order === 'paid') [this.order, this.shipped] = ['shipped', true];
        break;
      case 'DeliverOrder':
        if (this.order === 'shipped') this.order = 'delivered';
        break;
      case 'CancelOrder':
        if (this.order !== 'placed' && this.order !== 'paid') break;
        this.order = 'cancelled';
        this.orderEvents.push({ input: orderCancelled(command.data.cancelledBy, this.second, command.data.reason), overtaken: 0 });
        break;
      case 'ReleaseStock': {
        const times = (this.released.get(command.data.productId) ?? 0) + 1;
        this.released.set(command.data.productId, times);
        if (times > 1) this.violations.push(`stock of ${command.data.productId} released twice`);
        break;
      }
      default:
        this.violations.push(`unexpected command ${command.type}`);
    }
    if (this.shipped && this.released.size > 0) this.violations.push('stock both shipped and released');
  }

  private record(event: FulfillmentEvent): void {
    this.decided.push(event);
    switch (event.type) {
      case 'PaymentRequested':
        this.payments.push({ kind: 'charge', attempt: event.data.attempt });
        break;
      case 'PaymentStatusCheckRequested':
        this.payments.push({ kind: 'lookup', attempt: event.data.attempt });
        break;
      case 'RefundRequested':
        this.refunds.push(event.data.attempt);
        this.refundOutstanding = true;
        break;
      case 'ShipmentRequested':
        this.shipments.push('ship');
        break;
      case 'ShipmentCancellationRequested':
        this.shipments.push('stop');
        break;
      case 'TimerScheduled': {
        const { scheduledAt: _at, ...data } = event.data;
        this.timers.set(data.timerId, { data, state: 'live' });
        break;
      }
      case 'TimerCancelled': {
        const timer = this.timers.get(event.data.timerId);
        if (timer?.state === 'live') timer.state = 'cancelled';
        else this.violations.push(`cancelled a timer that is ${timer?.state ?? 'unknown'}`);
        break;
      }
      default:
        break;
    }
  }

  /** Everyone answers, in the friendliest way, and staff retry: the process must come to rest. */
  settle(): void {
    for (let round = 0; round < 100; round += 1) {
      const next = this.nextFriendlyInput();
      if (!next) return;
      this.decide(next);
    }
    this.violations.push('never came to rest');
  }

  private nextFriendlyInput(): FulfillmentInput | null {
    if (this.orderEvents.length > 0) return this.inputFor({ kind: 'order-event', crash: false });
    if (this.parked) return this.inputFor({ kind: 'staff', action: 'retry' });
    if (this.payments.length > 0) return this.inputFor({ kind: 'payment', outcome: 'captured', crash: false });
    if (this.refunds.length > 0) return this.inputFor({ kind: 'refund', outcome: 'refunded', crash: false });
    while (this.shipments.length > 0) {
      const answer = this.inputFor({ kind: 'warehouse', outcome: 'dispatched', crash: false });
      if (answer) return answer;
    }
    if (!this.fraudChecked) return this.inputFor({ kind: 'fraud', verdict: 'passed' });
    const live = [...this.timers.values()].filter((timer) => timer.state === 'live').sort((a, b) => a.data.dueAt.localeCompare(b.data.dueAt));
    if (live.length > 0) return this.inputFor({ kind: 'timer', pick: [...this.timers.values()].filter((timer) => timer.state === 'live').indexOf(live[0]!), crash: false });
    return null;
  }

  /** Where the order must end: the customer paid for what they got, and the stock of what they did not get is back. */
  checkAtRest(): void {
    // A cancellation and a dispatch that crossed: the parcel left, and staff were asked to recall it.
    const crossed = this.decided.some((event) => event.type === 'FulfillmentParked' && event.data.reason.includes('parcel'));
    if (this.state.status === 'completed') {
      if (this.gateway.charge !== 'captured' || this.gateway.refunded) this.violations.push('delivered without being paid');
      if (this.released.size > 0) this.violations.push('delivered, but its stock released');
      if (this.order !== 'delivered' && !(crossed && this.order === 'cancelled')) this.violations.push(`completed, but the order is ${this.order}`);
    } else if (this.state.status === 'cancelled') {
      if (this.gateway.charge === 'captured' && !this.gateway.refunded) this.violations.push('cancelled, but the charge kept');
      if (this.order !== 'cancelled') this.violations.push(`cancelled, but the order is ${this.order}`);
      for (const line of lines) if (this.released.get(line.productId) !== 1) this.violations.push(`cancelled, but ${line.productId} not released once`);
    } else {
      this.violations.push(`came to rest ${this.state.status}`);
    }
  }
}

describe('the fulfillment process, told anything in any order', () => {
  it('charges once, refunds once, ships only what was paid, and gives back the stock of what it did not ship', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 50 }), (actions) => {
        const world = new World();
        for (const step of actions) world.act(step);
        world.settle();
        world.checkAtRest();
        expect(world.violations, world.decided.map((event) => event.type).join(' ')).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
