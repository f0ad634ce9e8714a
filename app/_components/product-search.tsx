'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import type { RouterInputs } from '../_trpc/types';
import { CatalogPager } from './catalog-pager';
import { ProductGrid } from './product-grid';

type ProductSearchInput = RouterInputs['search']['products'];

/** A search as the page's URL holds it: sort and page always set, so links can change one field at a time. */
export type ProductSearchParams = ProductSearchInput & Required<Pick<ProductSearchInput, 'sort' | 'page'>>;

function searchHref(params: ProductSearchParams, change: Partial<ProductSearchParams>): string {
  const next = { ...params, page: 1, ...change };
  const query = new URLSearchParams();
  if (next.text) query.set('q', next.text);
  if (next.category) query.set('category', next.category);
  if (next.priceBand) query.set('price', next.priceBand);
  if (next.sort !== 'relevance') query.set('sort', next.sort);
  if (next.page > 1) query.set('page', String(next.page));
  return `/search?${query.toString()}`;
}

export function ProductSearch({ params }: { params: ProductSearchParams }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.search.products.queryOptions(params));
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const filtered = Boolean(params.category || params.priceBand);
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="Search is catching up with your last action; results update by themselves." />
      <form action="/search" className="search-form" role="search" aria-label="Products">
        <label htmlFor="search-text" className="visually-hidden">
          Search products
        </label>
        <input id="search-text" name="q" type="search" defaultValue={params.text} placeholder="Search products…" />
        {params.category && <input type="hidden" name="category" value={params.category} />}
        {params.priceBand && <input type="hidden" name="price" value={params.priceBand} />}
        <label htmlFor="search-sort">Sort by</label>
        <select
          id="search-sort"
          name="sort"
          defaultValue={params.sort}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
        >
          <option value="relevance">Relevance</option>
          <option value="price_asc">Price: low to high</option>
          <option value="price_desc">Price: high to low</option>
        </select>
        <button type="submit">Search</button>
      </form>
      {!data.available ? (
        <p className="notice" role="status">
          Search is catching up and will be back in a moment. Meanwhile you can <Link href="/">browse the catalog</Link>.
        </p>
      ) : (
        <div className="layout-with-filter">
          <aside aria-label="Filters">
            <h2>Category</h2>
            <ul className="filter-list">
              {data.categories.map((entry) => (
                <li key={entry.name}>
                  <Link
                    href={searchHref(params, { category: entry.name === params.category ? undefined : entry.name })}
                    aria-current={entry.name === params.category ? 'page' : undefined}
                  >
                    <span>{entry.name}</span>
                    <span>{entry.count}</span>
                  </Link>
                </li>
              ))}
            </ul>
            <h2>Price</h2>
            <ul className="filter-list">
              {data.priceBands.map((band) => (
                <li key={band.key}>
                  <Link
                    href={searchHref(params, { priceBand: band.key === params.priceBand ? undefined : band.key })}
                    aria-current={band.key === params.priceBand ? 'page' : undefined}
                  >
                    <span>{band.label}</span>
                    <span>{band.count}</span>
                  </Link>
                </li>
              ))}
            </ul>
            {filtered && (
              <p>
                <Link href={searchHref(params, { category: undefined, priceBand: undefined })}>Clear filters</Link>
              </p>
            )}
          </aside>
          <section aria-label="Search results">
            <h1>
              {params.text ? `Results for “${params.text}”` : 'All products'} <span className="stock">({data.total})</span>
            </h1>
            {data.products.length === 0 ? (
              <div className="notice">
                <p>
                  No products match{params.text ? ` “${params.text}”` : ''}
                  {filtered ? ' with these filters' : ''}.
                </p>
                <ul>
                  {filtered && (
                    <li>
                      <Link href={searchHref(params, { category: undefined, priceBand: undefined })}>Search without filters</Link>
                    </li>
                  )}
                  <li>Check the spelling, or try fewer or more general words (“mug”, “tea”, “lamp”).</li>
                  <li>
                    <Link href="/">Browse every category</Link>
                  </li>
                </ul>
              </div>
            ) : (
              <ProductGrid products={data.products} />
            )}
            <CatalogPager page={params.page} pageCount={pages} href={(page) => searchHref(params, { page })} />
          </section>
        </div>
      )}
    </>
  );
}
