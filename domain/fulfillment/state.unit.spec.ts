import { describe, expect, it } from 'vitest';
import { fold } from '../decider';
import type { FulfillmentEvent } from './events';
import { compensationStarted, deliveryConfirmed, fulfillmentCompleted, inTransit, handedOver, overdue, process, shipmentCancellationRequested } from './testing';

const stateAfter = (events: readonly FulfillmentEvent[]) => fold(process, events);

describe('Fulfillment state', () => {
  it('follows the shipment from its request to a stop asked for (the warehouse may still dispatch it)', () => {
    const stopping = [
      ...handedOver,
      overdue.cancelled(10),
      compensationStarted('cancelled-by-customer', 'Changed my mind', ['cancel-shipment', 'refund-payment', 'release-stock'], 10),
      shipmentCancellationRequested(10),
    ];
    expect(stateAfter(handedOver)).toMatchObject({ status: 'awaiting-shipment', shipment: 'requested' });
    expect(stateAfter(stopping)).toMatchObject({ status: 'compensating', shipment: 'cancellation-requested' });
  });

  it('completes with its own FulfillmentCompleted, not with the delivery it confirms', () => {
    expect(stateAfter([...inTransit, deliveryConfirmed(920)])).toMatchObject({ status: 'in-transit' });
    expect(stateAfter([...inTransit, deliveryConfirmed(920), fulfillmentCompleted(920)])).toMatchObject({ status: 'completed' });
  });
});
