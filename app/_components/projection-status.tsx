'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';
import { formatDateTime } from './format';

/** Refreshes every few seconds: this page is for watching a backlog drain. */
export function ProjectionStatusView() {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.operations.status.queryOptions(), refetchInterval: 3_000 });
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!data) return <p>Loading…</p>;
  return (
    <>
      <h1>Projections</h1>
      <p className="stock">
        Each read model follows the event log on its own. “Behind” counts committed events it has not read yet;
        failures are documents it could never write, kept here instead of dropped.
      </p>
      <table aria-label="Projections">
        <thead>
          <tr>
            <th>Projection</th>
            <th>Checkpoint</th>
            <th className="number">Behind</th>
            <th className="number">Failures</th>
            <th>Last moved</th>
          </tr>
        </thead>
        <tbody>
          {data.projections.map((row) => (
            <tr key={row.projection}>
              <td>{row.projection}</td>
              <td>
                <code>{row.checkpoint}</code>
              </td>
              <td className="number">{row.behind}</td>
              <td className="number">{row.failures}</td>
              <td>{formatDateTime(row.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.recentFailures.length > 0 && (
        <>
          <h2>Documents that could not be written</h2>
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
        </>
      )}
    </>
  );
}
