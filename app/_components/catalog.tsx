'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { ProductGrid } from './product-grid';

function href(category: string | undefined, page: number): string {
  const params = new URLSearchParams();
  if (category) params.set('category', category);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

export function Catalog({ category, page }: { category?: string; page: number }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.catalog.list.queryOptions({ category, page }));
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <div className="layout-with-filter">
        <nav aria-label="Categories">
          <ul className="filter-list">
            <li>
              <Link href="/" aria-current={category ? undefined : 'page'}>
                All products
              </Link>
            </li>
            {data.categories.map((entry) => (
              <li key={entry.name}>
                <Link href={href(entry.name, 1)} aria-current={entry.name === category ? 'page' : undefined}>
                  <span>{entry.name}</span>
                  <span>{entry.count}</span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-label="Products">
          <h1>{category ?? 'All products'}</h1>
          {data.products.length === 0 ? (
            <p className="notice">
              No products here yet. If the shop was just seeded, the catalog fills in as soon as the worker has
              caught up (<code>npm run worker</code>).
            </p>
          ) : (
            <ProductGrid products={data.products} />
          )}
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              {page > 1 ? <Link href={href(category, page - 1)}>Previous</Link> : <span />}
              <span>
                Page {page} of {pages}
              </span>
              {page < pages && <Link href={href(category, page + 1)}>Next</Link>}
            </nav>
          )}
        </section>
      </div>
    </>
  );
}
