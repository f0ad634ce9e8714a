'use client';

import type { RouterOutputs } from '../_trpc/types';
import { LocalTime } from './local-time';

type SearchStatus = NonNullable<RouterOutputs['operations']['status']['search']>;

/** Product search reads `product_search_v1` and so on: the consumer's name without its version. */
const labels: Record<string, string> = { product_search: 'Product search', order_search: 'Order search' };
const labelOf = (readModel: string) => labels[readModel.replace(/_v\d+$/, '')] ?? readModel;

/**
 * The status page's search section: whether each Elasticsearch read model answers and takes writes now, and
 * how many searches this web server answered with "search is catching up" and why. The consumers table above
 * says whether the read model's batches are failing (a block or a closed index stops them too).
 */
export function SearchStatusView({ search }: { search: SearchStatus }) {
  if (search.kind === 'postgres') {
    return (
      <>
        <h2>Search</h2>
        <p className="stock">Search runs on PostgreSQL full text here, without Elasticsearch: it is as available as the database.</p>
      </>
    );
  }
  return (
    <>
      <h2>Search</h2>
      <p className="stock">
        Probed on each refresh. While a search cannot answer, shoppers and staff see “search is catching up” instead of
        results; the reason is here and, in full, in the web server’s log.
      </p>
      <div className="table-scroll">
        <table aria-label="Search">
          <thead>
            <tr>
              <th>Read model</th>
              <th>Searches</th>
              <th>Writes</th>
              <th>Answered “catching up” (this server)</th>
            </tr>
          </thead>
          <tbody>
            {search.readModels.map((row) => (
              <tr key={row.readModel}>
                <td>{labelOf(row.readModel)}</td>
                <td>{row.searchProblem ? <span className="error">unavailable: {row.searchProblem}</span> : 'answering'}</td>
                <td>{row.writeProblem ? <span className="error">refused: {row.writeProblem}</span> : 'accepted'}</td>
                <td>
                  {row.degraded ? (
                    <>
                      {row.degraded.count} {row.degraded.count === 1 ? 'search' : 'searches'}, last{' '}
                      <LocalTime iso={row.degraded.lastAt} seconds />: {row.degraded.lastProblem}
                    </>
                  ) : (
                    'never'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
