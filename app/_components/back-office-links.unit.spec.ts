import { describe, expect, it } from 'vitest';
import { catalogHref, ordersHref } from './back-office-links';

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
