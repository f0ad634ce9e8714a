/**
 * How long the fulfillment process waits, and how often it tries again. Decisions depend on it, so it is
 * part of the decider (`fulfillmentProcess(policy)`); the worker reads it from the environment, and tests
 * shorten it. Every delay becomes a durable timer.
 */
export type FulfillmentPolicy = {
  /**
   * From the start of the process. An order still waiting for its fraud verdict then is cancelled; a charge still
   * under way is looked up instead of retried, and the lookup decides (not found cancels the order).
   */
  readonly paymentDeadlineMs: number;
  /** Pauses before retrying a charge that got no answer; one more attempt than pauses, then a status lookup. */
  readonly paymentRetryDelaysMs: readonly number[];
  /** Pauses before repeating a status lookup that got no answer; after the last, the process parks. */
  readonly statusCheckRetryDelaysMs: readonly number[];
  /** Pauses before retrying a refund that got no answer; after the last, the process parks. */
  readonly refundRetryDelaysMs: readonly number[];
  /** How long a paid order waits before it goes to the warehouse: the shopper's window to cancel cheaply. */
  readonly handoverDelayMs: number;
  /** How long the warehouse may take before staff are alerted (the process keeps waiting). */
  readonly warehouseOverdueMs: number;
  /** The (simulated) carrier's time from dispatch to the door. */
  readonly carrierDeliveryMs: number;
};

const second = 1000;
const minute = 60 * second;

export const defaultFulfillmentPolicy: FulfillmentPolicy = {
  paymentDeadlineMs: 10 * minute,
  paymentRetryDelaysMs: [1 * second, 5 * second],
  statusCheckRetryDelaysMs: [5 * second, 30 * second, 2 * minute],
  refundRetryDelaysMs: [5 * second, 30 * second, 2 * minute],
  handoverDelayMs: 20 * second,
  warehouseOverdueMs: 15 * minute,
  carrierDeliveryMs: 30 * second,
};
