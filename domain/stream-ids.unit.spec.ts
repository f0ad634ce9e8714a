import { describe, expect, it } from 'vitest';
import {
  cartStreamId,
  customerStreamId,
  fraudCheckStreamId,
  fulfillmentStreamId,
  orderStreamId,
  paymentStreamId,
  productStreamId,
  shipmentStreamId,
  timerStreamId,
} from './index';

describe('stream ids', () => {
  it('name each stream after what it is about, so the stream browser and the traces read as the shop', () => {
    // Stored events carry these ids for ever: a change here would split a stream's history in two.
    expect(cartStreamId('c-1')).toBe('cart-c-1');
    expect(customerStreamId('u-1')).toBe('customer-u-1');
    expect(orderStreamId('o-1')).toBe('order-o-1');
    expect(productStreamId('p-1')).toBe('product-p-1');
    expect(fulfillmentStreamId('o-1')).toBe('fulfillment-o-1');
    expect(paymentStreamId('o-1')).toBe('payment-o-1');
    expect(shipmentStreamId('o-1')).toBe('shipment-o-1');
    // One fraud-check stream per customer: two checks of one customer's orders see each other.
    expect(fraudCheckStreamId('u-1')).toBe('fraud-check-u-1');
    expect(timerStreamId('t-1.payment-deadline')).toBe('timer-t-1.payment-deadline');
  });
});
