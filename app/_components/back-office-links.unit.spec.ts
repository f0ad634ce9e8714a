import { describe, expect, it } from 'vitest';
import { catalogHref, ordersHref, streamHref, traceHref } from './back-office-links';

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

describe('streamHref and traceHref', () => {
  it('opens a stream at its first page, a page, or the page of a version with that row in view', () => {
    expect(streamHref('order-1')).toBe('/back-office/streams?stream=order-1');
    expect(streamHref('order-1', { page: 2 })).toBe('/back-office/streams?stream=order-1&page=2');
    expect(streamHref('timer-a:b', { version: 7 })).toBe('/back-office/streams?stream=timer-a%3Ab&version=7#v7');
  });

  it('names the correlation id in the path, encoded, and the event or command to show', () => {
    expect(traceHref('a.b:c')).toBe('/back-office/traces/a.b%3Ac');
    expect(traceHref('abc', { eventId: 'e-1' })).toBe('/back-office/traces/abc#event-e-1');
    expect(traceHref('abc', { commandKey: 'k-1' })).toBe('/back-office/traces/abc#command-k-1');
  });
});
