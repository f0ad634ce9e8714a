import type { Command } from '../decider';
import type { FraudCheckCompleted } from '../fraud/events';
import type { OrderCancelled, OrderPlaced } from '../order/events';
import type { PaymentEvent } from '../payment/events';
import type { ShipmentEvent } from '../shipment/events';
import type { TimerElapsed } from '../timers/events';

/** The events the process reacts to; each arrives as a command-shaped input carrying the moment it is decided. */
export type ReactedEvent = OrderPlaced | OrderCancelled | FraudCheckCompleted | PaymentEvent | ShipmentEvent | TimerElapsed;

export const reactedEventTypes = [
  'OrderPlaced',
  'OrderCancelled',
  'FraudCheckCompleted',
  'PaymentCaptured',
  'PaymentDeclined',
  'PaymentAttemptFailed',
  'PaymentNotFound',
  'PaymentRefunded',
  'RefundAttemptFailed',
  'ShipmentDispatched',
  'ShipmentItemsMissing',
  'ShipmentCancelled',
  'TimerElapsed',
] as const satisfies readonly ReactedEvent['type'][];

type AsInput<E extends { type: string; data: object }> = E extends unknown ? Command<E['type'], E['data']> : never;

/** Staff resume a parked process: try its step again, or give up and undo the order. */
export type RetryFulfillment = Command<'RetryFulfillment', { orderId: string; by: string }>;
export type CancelFulfillment = Command<'CancelFulfillment', { orderId: string; by: string; reason: string }>;
/** The runtime parks a process whose input could not be handled (an error), keeping that input. */
export type ParkFulfillment = Command<'ParkFulfillment', { orderId: string; reason: string; input: { type: string; data: object } }>;

export type FulfillmentInput = AsInput<ReactedEvent> | RetryFulfillment | CancelFulfillment | ParkFulfillment;

/** The order an input is about: every reacted-to event names it, a timer as its process instance. */
export function inputOrderId(input: FulfillmentInput): string {
  return input.type === 'TimerElapsed' ? input.data.processId : input.data.orderId;
}
