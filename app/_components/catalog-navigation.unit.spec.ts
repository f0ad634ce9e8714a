import { describe, expect, it } from 'vitest';
import { catalogHref, catalogSorts, pageNumbers } from './catalog-navigation';

describe('catalog navigation', () => {
  it('keeps the whole view in the URL, leaving out the defaults', () => {
    expect(catalogHref({ page: 1, sort: 'name' })).toBe('/');
    expect(catalogHref({ category: 'Coffee & Tea', page: 2, sort: 'price_asc' })).toBe('/?category=Coffee+%26+Tea&sort=price_asc&page=2');
    expect(catalogHref({ page: 3, sort: 'newest' })).toBe('/?sort=newest&page=3');
  });

  it('offers every order the API takes', () => {
    expect(catalogSorts).toEqual(['name', 'price_asc', 'price_desc', 'newest']);
  });

  it('numbers the pages around the current one, the first and the last always', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(1, 2)).toEqual([1, 2]);
    expect(pageNumbers(1, 13)).toEqual([1, 2, 3, 'gap', 13]);
    expect(pageNumbers(6, 13)).toEqual([1, 'gap', 4, 5, 6, 7, 8, 'gap', 13]);
    expect(pageNumbers(13, 13)).toEqual([1, 'gap', 11, 12, 13]);
    // A gap of one page shows that page instead.
    expect(pageNumbers(4, 13)).toEqual([1, 2, 3, 4, 5, 6, 'gap', 13]);
    expect(pageNumbers(5, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('numbers a page past the last without losing the way back', () => {
    expect(pageNumbers(9, 3)).toEqual([1, 2, 3]);
  });
});
