'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { LocalTime } from './local-time';
import { SearchStatusView } from './search-status';

function formatLag(seconds: number): string {
  if (seconds === 0) return '–';
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

/**
 * Pause or resume one consumer, on every instance. The pause takes effect after the batch in hand, within a
 * heartbeat (about a second), so the page shows it on its next refresh rather than guessing.
 */
function PauseButton({ consumer, paused }: { consumer: string; paused: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.operations.status.queryKey() });
  const pause = useMutation({ ...trpc.operations.pauseConsumer.mutationOptions(), onSuccess });
  const resume = useMutation({ ...trpc.operations.resumeConsumer.mutationOptions(), onSuccess });
  const mutation = paused ? resume : pause;
  return (
    <>
      <button type="button" disabled={mutation.isPending} onClick={() => mutation.mutate({ consumer })} aria-label={`${paused ? 'Resume' : 'Pause'} ${consumer}`}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      {mutation.error && <span className="error" role="alert"> {mutation.error.message}</span>}
    </>
  );
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
        “lag” how long the oldest of them has waited. A consumer whose batches fail is retried with growing pauses,
        and its error shows under Health: a PostgreSQL read model stops at an event it cannot apply until the cause
        is fixed, since skipping it would leave the read model wrong. Elasticsearch and the broker instead set aside
        what they refuse for good as a dead letter, and carry on.
        Each consumer runs in one worker at a time, the “holder” of its lease, which renews it every heartbeat; when a
        worker dies, another takes its consumers within a few seconds. A paused consumer runs nowhere until resumed.
      </p>
      <div className="table-scroll">
        <table aria-label="Consumers">
          <thead>
            <tr>
              <th>Consumer</th>
              <th>Run</th>
              <th>Checkpoint</th>
              <th className="number">Behind</th>
              <th className="number">Lag</th>
              <th className="number">Dead letters</th>
              <th>Last moved</th>
              <th>Health</th>
              <th>Held by</th>
            </tr>
          </thead>
          <tbody>
            {data.consumers.map((row) => (
              <tr key={row.consumer}>
                <td>{row.consumer}</td>
                <td>
                  {row.pausedAt && (
                    <span>
                      paused <LocalTime iso={row.pausedAt} seconds /> by {row.pausedBy}{' '}
                    </span>
                  )}
                  <PauseButton consumer={row.consumer} paused={row.pausedAt !== null} />
                </td>
                <td>
                  <code>{row.checkpoint}</code>
                </td>
                <td className="number">{row.behindEvents}</td>
                <td className="number">{formatLag(row.lagSeconds)}</td>
                <td className="number">
                  {row.deadLetters > 0 ? <Link href="/back-office/dead-letters">{row.deadLetters}</Link> : 0}
                </td>
                <td>
                  <LocalTime iso={row.updatedAt} seconds />
                </td>
                <td>
                  {row.failingSince ? (
                    <span className="error">
                      {row.behindEvents > 0 ? 'stopped' : 'failing'} since <LocalTime iso={row.failingSince} seconds />, retrying:{' '}
                      {row.lastError}
                    </span>
                  ) : row.lastError && row.lastErrorAt ? (
                    <>
                      healthy (last error <LocalTime iso={row.lastErrorAt} seconds />)
                    </>
                  ) : (
                    'healthy'
                  )}
                </td>
                <td>
                  {row.holder ? <code>{row.holder}</code> : row.pausedAt ? '–' : 'nobody (waiting for a worker)'}
                  {row.holder && row.heartbeatAt && (
                    <span className="held-heartbeat">
                      heartbeat <LocalTime iso={row.heartbeatAt} seconds />
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.search && <SearchStatusView search={data.search} />}
      <h2>Dead letters</h2>
      <p>
        {data.openDeadLetters === 0 ? (
          <>
            No open dead letters. <Link href="/back-office/dead-letters">What they are, and the resolved ones</Link>
          </>
        ) : (
          <Link href="/back-office/dead-letters">
            {data.openDeadLetters === 1 ? '1 open dead letter' : `${data.openDeadLetters} open dead letters`}: retry or skip
          </Link>
        )}
      </p>
    </>
  );
}
