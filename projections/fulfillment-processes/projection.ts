import type { FulfillmentStatus } from '@/domain';
import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { fulfillmentProcesses } from './schema';

const processEventTypes = [
  'FulfillmentStarted',
  'PaymentRequested',
  'PaymentStatusCheckRequested',
  'PaymentSettled',
  'ShipmentRequested',
  'ShipmentConfirmed',
  'FulfillmentCompleted',
  'CompensationStarted',
  'FulfillmentCancelled',
  'FulfillmentParked',
  'FulfillmentInputHeld',
  'FulfillmentResumed',
] as const;

/**
 * Once an order is being undone, the process's later requests (a status lookup for a charge whose fate is
 * unknown) and a late dispatch leave its status as it is: the same rule `evolveFulfillment` follows with its
 * `compensation`, which stays set from CompensationStarted on, through to `cancelled`.
 */
const undoing = (status: string | undefined) => status === 'compensating' || status === 'cancelled';

/**
 * One row per fulfillment process: where it stands, and whether it is parked waiting for staff. `status` is the
 * process's own status (domain/fulfillment/state.ts), also while it is parked: parking does not change what the
 * process was doing, and a process resumed with nothing to re-send carries on in that status, which an
 * overwritten status could not tell. `parkedSince` says it is parked; the queries report such a row as `parked`.
 * Its times are the events' own, so a rebuild writes the same rows.
 */
export const fulfillmentProcessesProjection = defineBatchProjection({
  name: 'fulfillment_processes',
  tables: [fulfillmentProcesses],
  handles: processEventTypes,
  async applyBatch(tx, events) {
    const processes = new RowSet(fulfillmentProcesses, (row) => row.orderId);
    await processes.load(tx, fulfillmentProcesses.orderId, events.map((event) => event.data.orderId));
    const moveTo = (orderId: string, status: FulfillmentStatus, at: string) =>
      processes.update(orderId, { status, updatedAt: new Date(at) });
    for (const event of events) {
      const { type, data } = event;
      const current = processes.get(data.orderId);
      switch (type) {
        case 'FulfillmentStarted':
          processes.insert({
            orderId: data.orderId,
            customerId: data.customerId,
            status: 'awaiting-fraud-check',
            totalCents: data.totalCents,
            parkedReason: null,
            parkedSince: null,
            heldInputs: 0,
            startedAt: new Date(data.startedAt),
            updatedAt: new Date(data.startedAt),
          });
          break;
        case 'PaymentRequested':
          if (!undoing(current?.status)) moveTo(data.orderId, 'charging', data.requestedAt);
          break;
        case 'PaymentStatusCheckRequested':
          if (!undoing(current?.status)) moveTo(data.orderId, 'checking-payment', data.requestedAt);
          break;
        case 'PaymentSettled':
          moveTo(data.orderId, 'paid', data.settledAt);
          break;
        case 'ShipmentRequested':
          moveTo(data.orderId, 'awaiting-shipment', data.requestedAt);
          break;
        case 'ShipmentConfirmed':
          if (!undoing(current?.status)) moveTo(data.orderId, 'in-transit', data.confirmedAt);
          break;
        case 'FulfillmentCompleted':
          moveTo(data.orderId, 'completed', data.completedAt);
          break;
        case 'CompensationStarted':
          moveTo(data.orderId, 'compensating', data.startedAt);
          break;
        case 'FulfillmentCancelled':
          moveTo(data.orderId, 'cancelled', data.cancelledAt);
          break;
        case 'FulfillmentParked':
          processes.update(data.orderId, { parkedReason: data.reason, parkedSince: new Date(data.parkedAt), updatedAt: new Date(data.parkedAt) });
          break;
        case 'FulfillmentInputHeld':
          if (current) processes.update(data.orderId, { heldInputs: (current.heldInputs ?? 0) + 1, updatedAt: new Date(data.heldAt) });
          break;
        case 'FulfillmentResumed':
          processes.update(data.orderId, { parkedReason: null, parkedSince: null, heldInputs: 0, updatedAt: new Date(data.resumedAt) });
          break;
      }
    }
    await processes.write(tx);
  },
});
