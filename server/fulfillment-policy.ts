import { defaultFulfillmentPolicy, type FulfillmentPolicy } from '@/domain';
import { env } from './env';

/**
 * The fulfillment process's waits, from the environment (docs/fulfillment.md). The worker decides with it,
 * and so does a staff command resuming a parked process: both must decide alike.
 */
export function fulfillmentPolicy(): FulfillmentPolicy {
  return {
    ...defaultFulfillmentPolicy,
    paymentDeadlineMs: env.FULFILLMENT_PAYMENT_DEADLINE_MS,
    handoverDelayMs: env.FULFILLMENT_HANDOVER_DELAY_MS,
    warehouseOverdueMs: env.FULFILLMENT_WAREHOUSE_OVERDUE_MS,
    carrierDeliveryMs: env.FULFILLMENT_CARRIER_DELIVERY_MS,
  };
}
