import { describe, it } from 'vitest';
import { given } from '../testing';
import { compensationStarted, handedOver, input, iso, orderId, overdue, paid, process, refundRequested } from './testing';

const missing = (second: number, ...names: string[]) =>
  input('ShipmentItemsMissing', { orderId, missing: names.map((name, n) => ({ productId: `p-${n + 1}`, name, quantity: 1 })), reportedAt: iso(second) }, second);

describe('Fulfillment shipment', () => {
  it('names every missing item in the reason the shopper reads', () => {
    const reason = 'Sorry: Blue Mug, Green Tea could not be found in the warehouse.';
    given(process, handedOver)
      .when(missing(30, 'Blue Mug', 'Green Tea'))
      .then([overdue.cancelled(30), compensationStarted('items-missing', reason, ['refund-payment', 'release-stock', 'cancel-order'], 30), refundRequested(1, 30)]);
  });

  it('ignores a report of missing items before it asked the warehouse for anything', () => {
    given(process, paid).when(missing(5, 'Green Tea')).then([]);
  });
});
