import type { FulfillmentPolicy } from '@/domain';

/** The waits of the crash spec and its worker: short pauses, and a handover window so a cancel can land. */
export const crashPolicy: FulfillmentPolicy = {
  paymentDeadlineMs: 60_000,
  paymentRetryDelaysMs: [1_000, 2_000],
  statusCheckRetryDelaysMs: [1_000, 2_000],
  refundRetryDelaysMs: [1_000, 2_000],
  handoverDelayMs: 5_000,
  warehouseOverdueMs: 60_000,
  carrierDeliveryMs: 10_000,
};
