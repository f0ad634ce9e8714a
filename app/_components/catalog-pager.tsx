import Link from 'next/link';
import { pageNumbers } from './catalog-navigation';

/** Numbered pages with previous and next, for the catalog and the search results; `href` makes each link. */
export function CatalogPager({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  if (pageCount <= 1 && page <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? (
        <Link href={href(Math.min(page - 1, pageCount))} rel="prev">
          ← Previous
        </Link>
      ) : (
        <span className="pager-end" aria-hidden="true">
          ← Previous
        </span>
      )}
      <ol>
        {pageNumbers(page, pageCount).map((n, i) =>
          n === 'gap' ? (
            <li key={`gap-${i}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={n}>
              <Link href={href(n)} aria-current={n === page ? 'page' : undefined} aria-label={`Page ${n}`}>
                {n}
              </Link>
            </li>
          ),
        )}
      </ol>
      {page < pageCount ? (
        <Link href={href(page + 1)} rel="next">
          Next →
        </Link>
      ) : (
        <span className="pager-end" aria-hidden="true">
          Next →
        </span>
      )}
    </nav>
  );
}
