import { describe, expect, it } from 'vitest';
import { catalogHref, ordersHref, streamHref } from './back-office-links';

describe('ordersHref', () => {
  it('is the bare list without filters, and leaves page 1 out', () => {
    expect(ordersHref({ page: 1 })).toBe('/back-office/orders');
  });

  it('writes the filters as the filter form names them, encoded', () => {
    expect(
      ordersHref({ text: 'tea & cups', status: 'paid', customerId: 'c-1', placedFrom: '2025-03-01', placedTo: '2025-03-31', page: 3 }),
    ).toBe('/back-office/orders?q=tea+%26+cups&status=paid&customer=c-1&from=2025-03-01&to=2025-03-31&page=3');
  });
});

describe('catalogHref', () => {
  it('names the category and a page past the first', () => {
    expect(catalogHref({})).toBe('/back-office/catalog');
    expect(catalogHref({ category: 'Coffee & Tea', page: 1 })).toBe('/back-office/catalog?category=Coffee+%26+Tea');
    expect(catalogHref({ category: 'Bath', page: 2 })).toBe('/back-office/catalog?category=Bath&page=2');
  });
});

describe('streamHref', () => {
  it("leads an order's streams to its trace, and other streams nowhere", () => {
    const orderId = '0b9e2a52-6f1c-4d8e-9a3b-2f6c1d7e8a90';
    expect(streamHref(`order-${orderId}`)).toBe(`/back-office/orders/${orderId}`);
    expect(streamHref(`shipment-${orderId}`)).toBe(`/back-office/orders/${orderId}`);
    expect(streamHref('product-kettle')).toBeNull();
  });
});
