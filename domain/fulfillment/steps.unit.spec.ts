import { describe, expect, it } from 'vitest';
import { fold } from '../decider';
import { commandsFor, compensationsFor, type ActiveFulfillment, type FulfillmentEvent } from './index';
import {
  charging,
  compensationStarted,
  deliveryConfirmed,
  fulfillmentCancelled,
  handedOver,
  inTransit,
  paid,
  paymentSettled,
  process,
  refundRequested,
  shipmentConfirmed,
  shipmentRequested,
  started,
} from './testing';

const stateAfter = (events: readonly FulfillmentEvent[]) => fold(process, events) as ActiveFulfillment;
const releaseStock = [
  { type: 'ReleaseStock', data: { productId: 'p-1', orderId: 'o-1', quantity: 2 } },
  { type: 'ReleaseStock', data: { productId: 'p-2', orderId: 'o-1', quantity: 1 } },
];

describe('the commands a fulfillment decision sends', () => {
  it('pays the order what was captured, under the charge as its reference', () => {
    expect(commandsFor(paymentSettled(2), stateAfter(charging))).toEqual([
      { type: 'PayOrder', data: { orderId: 'o-1', amountCents: 2999, paymentReference: 'ch-1' } },
    ]);
  });

  it('does not pay an order it is undoing: a late capture is refunded instead', () => {
    const cancelling = [...charging, compensationStarted('cancelled-by-customer', 'Changed my mind', ['release-stock'], 2)];
    expect(commandsFor(paymentSettled(3), stateAfter(cancelling))).toEqual([]);
  });

  it('ships the order on dispatch, and delivers it on delivery', () => {
    expect(commandsFor(shipmentConfirmed(20), stateAfter(handedOver))).toEqual([
      { type: 'ShipOrder', data: { orderId: 'o-1', carrier: 'Parcel Post', trackingNumber: 'PP123' } },
    ]);
    expect(commandsFor(deliveryConfirmed(920), stateAfter(inTransit))).toEqual([{ type: 'DeliverOrder', data: { orderId: 'o-1' } }]);
  });

  it('releases the stock of every line and cancels the order as the system', () => {
    const reason = 'Payment declined: the card has expired.';
    expect(commandsFor(compensationStarted('payment-declined', reason, ['release-stock', 'cancel-order'], 2), stateAfter(charging))).toEqual([
      ...releaseStock,
      { type: 'CancelOrder', data: { orderId: 'o-1', reason, cancelledBy: 'system' } },
    ]);
  });

  it('cancels the order as staff when staff cancelled the process', () => {
    const event = compensationStarted('cancelled-by-staff', 'Customer asked by phone', ['release-stock', 'cancel-order'], 2);
    expect(commandsFor(event, stateAfter(charging))).toContainEqual({
      type: 'CancelOrder',
      data: { orderId: 'o-1', reason: 'Customer asked by phone', cancelledBy: 'staff' },
    });
  });

  it('does not cancel an order the customer already cancelled', () => {
    const event = compensationStarted('cancelled-by-customer', 'Changed my mind', ['refund-payment', 'release-stock'], 5);
    expect(commandsFor(event, stateAfter(paid))).toEqual(releaseStock);
  });

  it('sends nothing for a compensation that only refunds, nor for requests answered by other steps', () => {
    const cancelling = stateAfter([...charging, compensationStarted('cancelled-by-customer', 'Changed my mind', ['release-stock'], 2)]);
    expect(commandsFor(compensationStarted('cancelled-by-customer', 'Changed my mind', ['refund-payment'], 3), cancelling)).toEqual([]);
    expect(commandsFor(refundRequested(1, 3), cancelling)).toEqual([]);
    expect(commandsFor(shipmentRequested(9), stateAfter(paid))).toEqual([]);
    expect(commandsFor(fulfillmentCancelled('cancelled-by-customer', 'Changed my mind', 0, 3), cancelling)).toEqual([]);
  });
});

describe('the compensations for what was done', () => {
  it('undo the latest step first', () => {
    expect(compensationsFor(stateAfter(started), false)).toEqual(['release-stock', 'cancel-order']);
    expect(compensationsFor(stateAfter(paid), false)).toEqual(['refund-payment', 'release-stock', 'cancel-order']);
    expect(compensationsFor(stateAfter(handedOver), false)).toEqual(['cancel-shipment', 'refund-payment', 'release-stock', 'cancel-order']);
  });

  it('leave out cancelling an order already cancelled', () => {
    expect(compensationsFor(stateAfter(handedOver), true)).toEqual(['cancel-shipment', 'refund-payment', 'release-stock']);
  });

  it('leave out stopping a shipment the warehouse already answered', () => {
    expect(compensationsFor(stateAfter(handedOver), false, true)).toEqual(['refund-payment', 'release-stock', 'cancel-order']);
    expect(compensationsFor(stateAfter(inTransit), false)).toEqual(['refund-payment', 'release-stock', 'cancel-order']);
  });
});
