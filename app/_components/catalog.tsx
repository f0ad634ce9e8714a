'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { CatalogPager } from './catalog-pager';
import { catalogHref, catalogSortLabels, catalogSorts, type CatalogView } from './catalog-navigation';
import { ProductGrid } from './product-grid';

export function Catalog({ view }: { view: CatalogView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { data, consistency } = useReadModel(trpc.catalog.list.queryOptions(view));
  const { category, page, sort } = view;
  const first = (page - 1) * data.pageSize + 1;
  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <div className="layout-with-filter">
        <nav aria-label="Categories">
          <ul className="filter-list">
            <li>
              <Link href={catalogHref({ page: 1, sort })} aria-current={category ? undefined : 'page'}>
                All products
              </Link>
            </li>
            {data.categories.map((entry) => (
              <li key={entry.name}>
                <Link href={catalogHref({ category: entry.name, page: 1, sort })} aria-current={entry.name === category ? 'page' : undefined}>
                  <span>{entry.name}</span>
                  <span>{entry.count}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-label="Products">
          <div className="list-heading">
            <h1>{category ?? 'All products'}</h1>
            {/* Without JavaScript the form's GET does what the menu's change does with it. */}
            <form action="/" className="sort-form">
              {category && <input type="hidden" name="category" value={category} />}
              <label htmlFor="catalog-sort">Sort by</label>
              <select
                id="catalog-sort"
                name="sort"
                value={sort}
                onChange={(event) => router.push(catalogHref({ category, page: 1, sort: event.target.value as CatalogView['sort'] }))}
              >
                {catalogSorts.map((value) => (
                  <option key={value} value={value}>
                    {catalogSortLabels[value]}
                  </option>
                ))}
              </select>
              <noscript>
                <button type="submit" className="secondary">
                  Sort
                </button>
              </noscript>
            </form>
          </div>
          {data.total === 0 ? (
            <p className="notice">
              No products here yet. A shop that has just opened fills its shelves in a moment; this page updates by
              itself.
            </p>
          ) : data.products.length === 0 ? (
            <p className="notice">
              There is no page {page}: this list has {data.pageCount} {data.pageCount === 1 ? 'page' : 'pages'}.{' '}
              <Link href={catalogHref({ category, page: data.pageCount, sort })}>Go to the last page</Link>
            </p>
          ) : (
            <>
              <p className="stock" aria-live="polite">
                {first}–{first + data.products.length - 1} of {data.total} products
              </p>
              <ProductGrid products={data.products} />
            </>
          )}
          <CatalogPager page={page} pageCount={data.pageCount} href={(n) => catalogHref({ category, page: n, sort })} />
        </section>
      </div>
    </>
  );
}
