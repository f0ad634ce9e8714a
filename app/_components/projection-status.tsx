'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';
import { LocalTime } from './local-time';
import { SearchStatusView } from './search-status';

function formatLag(seconds: number): string {
  if (seconds === 0) return '–';
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

/** Refreshes every few seconds: this page is for watching a backlog drain. */
export function ProjectionStatusView() {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.operations.status.queryOptions(), refetchInterval: 3_000 });
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <>
      <h2>Consumers of the event log</h2>
      <p className="stock">
        Each read model follows the event log on its own. “Behind” counts committed events it has not read yet, and
        “lag” how long the oldest of them has waited; failures are documents it could never write, kept here
        instead of dropped. A consumer whose batches fail is retried with growing pauses; its last error stays here.
      </p>
      <div className="table-scroll">
        <table aria-label="Consumers">
          <thead>
            <tr>
              <th>Consumer</th>
              <th>Checkpoint</th>
              <th className="number">Behind</th>
              <th className="number">Lag</th>
              <th className="number">Failures</th>
              <th>Last moved</th>
              <th>Health</th>
            </tr>
          </thead>
          <tbody>
            {data.consumers.map((row) => (
              <tr key={row.consumer}>
                <td>{row.consumer}</td>
                <td>
                  <code>{row.checkpoint}</code>
                </td>
                <td className="number">{row.behindEvents}</td>
                <td className="number">{formatLag(row.lagSeconds)}</td>
                <td className="number">{row.failures}</td>
                <td>
                  <LocalTime iso={row.updatedAt} seconds />
                </td>
                <td>
                  {row.failingSince ? (
                    <span className="error">
                      failing since <LocalTime iso={row.failingSince} seconds />: {row.lastError}
                    </span>
                  ) : row.lastError && row.lastErrorAt ? (
                    <>
                      healthy (last error <LocalTime iso={row.lastErrorAt} seconds />)
                    </>
                  ) : (
                    'healthy'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.search && <SearchStatusView search={data.search} />}
      {data.recentFailures.length > 0 && (
        <>
          <h2>Documents that could not be written</h2>
          <div className="table-scroll">
            <table aria-label="Failures">
              <thead>
                <tr>
                  <th>Projection</th>
                  <th>Document</th>
                  <th>Event</th>
                  <th>Status</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {data.recentFailures.map((failure) => (
                  <tr key={failure.id}>
                    <td>{failure.projection}</td>
                    <td>
                      <code>{failure.documentId}</code>
                    </td>
                    <td>
                      {failure.eventType} @ {failure.globalPosition}
                    </td>
                    <td>{failure.status}</td>
                    <td>{failure.reason.slice(0, 200)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
