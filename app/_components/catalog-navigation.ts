import type { RouterInputs } from '../_trpc/types';

export type CatalogSort = NonNullable<RouterInputs['catalog']['list']['sort']>;

/** Every order the catalog offers, as the sort menu says it; a Record, so a new order on the API must be named here. */
export const catalogSortLabels: Readonly<Record<CatalogSort, string>> = {
  name: 'Name',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest',
};

export const catalogSorts = Object.keys(catalogSortLabels) as [CatalogSort, ...CatalogSort[]];

/** The catalog's state, all of it in the URL, so a page can be shared, reloaded and gone back to. */
export type CatalogView = { category?: string; page: number; sort: CatalogSort };

/** The link to a catalog view; defaults are left out, so the plain catalog is `/`. */
export function catalogHref(view: CatalogView): string {
  const query = new URLSearchParams();
  if (view.category) query.set('category', view.category);
  if (view.sort !== 'name') query.set('sort', view.sort);
  if (view.page > 1) query.set('page', String(view.page));
  const search = query.toString();
  return search ? `/?${search}` : '/';
}

/**
 * The page numbers a pager shows: the first and the last, and two either side of the current one, with a gap
 * ("…") for each run left out. A gap never stands for a single page: that page is shown instead.
 */
export function pageNumbers(page: number, pageCount: number): (number | 'gap')[] {
  const shown = new Set([1, pageCount]);
  for (let n = page - 2; n <= page + 2; n++) if (n >= 1 && n <= pageCount) shown.add(n);
  const sorted = [...shown].sort((a, b) => a - b);
  const numbers: (number | 'gap')[] = [];
  for (const [i, n] of sorted.entries()) {
    const previous = sorted[i - 1];
    if (previous !== undefined && n - previous === 2) numbers.push(previous + 1);
    else if (previous !== undefined && n - previous > 2) numbers.push('gap');
    numbers.push(n);
  }
  return numbers;
}
