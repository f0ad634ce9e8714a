import { describe, expect, it } from 'vitest';
import { safeReturnTo, signInPath } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/', '/orders', '/orders/3f1c?tab=items', '/search?q=tea%20pot#results'])('keeps a path of this site: %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    '//evil.example',
    '/\\evil.example',
    'https://evil.example/orders',
    'javascript:alert(1)',
    'orders',
    '',
    '/\t/evil.example',
    '/orders\n',
    `/${'a'.repeat(2_001)}`,
  ])('replaces anything else with the home page: %j', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('replaces what is not a string', () => {
    expect(safeReturnTo(undefined)).toBe('/');
    expect(safeReturnTo(['/orders'])).toBe('/');
    expect(safeReturnTo(null, '/cart')).toBe('/cart');
  });
});

describe('signInPath', () => {
  it('comes back to the page it was asked from, and only to a page of this site', () => {
    expect(signInPath('/orders/42')).toBe('/sign-in?returnTo=%2Forders%2F42');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});
