import { assertNever } from '../decider';
import type { Line } from '../lines';
import type { ShippingAddress } from '../order/events';
import type { CompensationCause, FulfillmentEvent } from './events';

/**
 * Where the process stands. The happy path runs top to bottom; any failure leads to `compensating`, which
 * ends in `cancelled` once every compensation has been answered.
 */
export const fulfillmentStatuses = [
  'awaiting-fraud-check',
  'charging',
  'checking-payment',
  'paid',
  'awaiting-shipment',
  'in-transit',
  'completed',
  'compensating',
  'cancelled',
] as const;
export type FulfillmentStatus = (typeof fulfillmentStatuses)[number];

/** The steps done so far that a failure must undo, each with its compensation (see ./steps.ts). */
export type FulfillmentStep = 'place-order' | 'reserve-stock' | 'charge-payment' | 'request-shipment';

/** What the process waits for with a timer; a timer of any other name is not its own. */
export const fulfillmentTimerNames = [
  'payment-deadline',
  'payment-retry',
  'status-check-retry',
  'refund-retry',
  'handover',
  'warehouse-overdue',
  'carrier-delivery',
] as const;
export type FulfillmentTimerName = (typeof fulfillmentTimerNames)[number];

export type LiveTimer = { readonly timerId: string; readonly dueAt: string; readonly scheduledAt: string };

export type ActiveFulfillment = {
  readonly status: FulfillmentStatus;
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly Line[];
  readonly totalCents: number;
  readonly currency: string;
  readonly shippingAddress: ShippingAddress;
  readonly paymentToken: string;
  /** One key for every attempt to charge this order: the gateway charges it at most once. */
  readonly chargeKey: string;
  readonly paymentAttempts: number;
  readonly statusChecks: number;
  /**
   * A charge was asked for and its fate is not known yet: no capture, decline or "no such charge" has come
   * back. It stays set through a failed attempt's retry pause, since a charge that timed out may have gone
   * through; the order cannot be closed while it is set.
   */
  readonly paymentInFlight: boolean;
  readonly captured: { readonly chargeId: string; readonly amountCents: number } | null;
  /** `done` once the refund was answered (the compensation then ends). */
  readonly refund: { readonly attempts: number; readonly done: boolean; readonly amountCents: number } | null;
  readonly shipment: 'none' | 'requested' | 'cancellation-requested' | 'dispatched' | 'cancelled';
  readonly done: readonly FulfillmentStep[];
  readonly compensation: { readonly cause: CompensationCause; readonly reason: string } | null;
  /** Timers scheduled and neither cancelled nor fired, by name (see `retiredBy` for how a fired one leaves). */
  readonly timers: Readonly<Record<string, LiveTimer>>;
  /** Timers ever scheduled: the next timer's id is derived from it, so ids repeat on a re-decision. */
  readonly timersScheduled: number;
  readonly parked: { readonly reason: string; readonly since: string } | null;
  /** Inputs that arrived while parked, in order. */
  readonly held: readonly { readonly type: string; readonly data: object }[];
};

export type FulfillmentState = { readonly status: 'none' } | ActiveFulfillment;

export const initialFulfillmentState = (): FulfillmentState => ({ status: 'none' });

export const chargeKeyFor = (orderId: string): string => `charge-${orderId}`;
export const refundKeyFor = (orderId: string): string => `refund-${orderId}`;

/**
 * A timer that fired leaves no event in the process's stream (its TimerElapsed is in the timer's stream), so the
 * events that make a timer moot retire it: the retry it paused for, the settling that ends the charging, the
 * alert. The decider cancels a timer that has not fired before such an event (TimerCancelled); one that fired is
 * retired here, so no later decision cancels what already happened, or takes it for live.
 */
const retiredBy: Partial<Record<FulfillmentEvent['type'], readonly FulfillmentTimerName[] | 'all'>> = {
  PaymentRequested: ['payment-retry'],
  PaymentStatusCheckRequested: ['payment-deadline', 'payment-retry', 'status-check-retry'],
  PaymentSettled: ['payment-deadline', 'payment-retry', 'status-check-retry'],
  RefundRequested: ['refund-retry'],
  ShipmentRequested: ['handover'],
  ShipmentConfirmed: ['warehouse-overdue'],
  FulfillmentDelayed: ['warehouse-overdue'],
  DeliveryConfirmed: ['carrier-delivery'],
  CompensationStarted: 'all',
  FulfillmentCancelled: 'all',
};

export function evolveFulfillment(state: FulfillmentState, event: FulfillmentEvent): FulfillmentState {
  const next = evolveStep(state, event);
  const retired = retiredBy[event.type];
  if (!retired || next.status === 'none') return next;
  if (retired === 'all') return { ...next, timers: {} };
  const timers = Object.fromEntries(Object.entries(next.timers).filter(([name]) => !retired.includes(name as FulfillmentTimerName)));
  return { ...next, timers };
}

function evolveStep(state: FulfillmentState, event: FulfillmentEvent): FulfillmentState {
  if (event.type === 'FulfillmentStarted') {
    const { orderId, customerId, lines, totalCents, currency, shippingAddress, paymentToken } = event.data;
    return {
      status: 'awaiting-fraud-check',
      orderId,
      customerId,
      lines,
      totalCents,
      currency,
      shippingAddress,
      paymentToken,
      chargeKey: chargeKeyFor(orderId),
      paymentAttempts: 0,
      statusChecks: 0,
      paymentInFlight: false,
      captured: null,
      refund: null,
      shipment: 'none',
      done: ['place-order', 'reserve-stock'],
      compensation: null,
      timers: {},
      timersScheduled: 0,
      parked: null,
      held: [],
    };
  }
  // Every later event presupposes a started process; a stream that breaks this is left as it is.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PaymentRequested':
      return { ...state, status: state.compensation ? state.status : 'charging', paymentAttempts: event.data.attempt, paymentInFlight: true };
    case 'PaymentStatusCheckRequested':
      return {
        ...state,
        status: state.compensation ? state.status : 'checking-payment',
        statusChecks: event.data.attempt,
        paymentInFlight: true,
      };
    case 'PaymentSettled':
      return {
        ...state,
        // A capture that arrives while undoing the order is recorded to be refunded; the order stays undone.
        status: state.compensation ? state.status : 'paid',
        paymentInFlight: false,
        captured: { chargeId: event.data.chargeId, amountCents: event.data.amountCents },
        done: [...state.done, 'charge-payment'],
      };
    case 'ShipmentRequested':
      return { ...state, status: 'awaiting-shipment', shipment: 'requested', done: [...state.done, 'request-shipment'] };
    case 'ShipmentCancellationRequested':
      return { ...state, shipment: 'cancellation-requested' };
    case 'ShipmentConfirmed':
      return { ...state, status: state.compensation ? state.status : 'in-transit', shipment: 'dispatched' };
    case 'DeliveryConfirmed':
      return state;
    case 'FulfillmentCompleted':
      return { ...state, status: 'completed' };
    case 'FulfillmentDelayed':
      return state;
    case 'CompensationStarted':
      return { ...state, status: 'compensating', compensation: { cause: event.data.cause, reason: event.data.reason } };
    case 'RefundRequested':
      return {
        ...state,
        status: 'compensating',
        paymentInFlight: false,
        refund: { attempts: event.data.attempt, done: false, amountCents: event.data.amountCents },
      };
    case 'FulfillmentCancelled':
      // The compensation ends only once nothing is outstanding: a refund it waited for was answered.
      return { ...state, status: 'cancelled', paymentInFlight: false, refund: state.refund && { ...state.refund, done: true } };
    case 'FulfillmentStepRefused':
      return state;
    case 'FulfillmentParked':
      return { ...state, parked: { reason: event.data.reason, since: event.data.parkedAt } };
    case 'FulfillmentInputHeld':
      return { ...state, held: [...state.held, event.data.input] };
    case 'FulfillmentResumed':
      return { ...state, parked: null, held: [] };
    case 'TimerScheduled': {
      const { name, timerId, dueAt, scheduledAt } = event.data;
      return { ...state, timers: { ...state.timers, [name]: { timerId, dueAt, scheduledAt } }, timersScheduled: state.timersScheduled + 1 };
    }
    case 'TimerCancelled': {
      const { [event.data.name]: _cancelled, ...timers } = state.timers;
      return { ...state, timers };
    }
    default:
      return assertNever(event);
  }
}
