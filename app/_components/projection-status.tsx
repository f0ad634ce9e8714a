'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';
import { ConsumerLagChart, formatThroughput, LagSparkline } from './consumer-lag-chart';
import { formatDuration } from './duration';
import { LocalTime } from './local-time';
import { SearchStatusView } from './search-status';

function formatLag(seconds: number): string {
  return seconds === 0 ? '–' : formatDuration(seconds);
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

/** A run of failures as "failing since 11:02:13, 14 attempts" over the last error, cut to three lines. */
function Health({ row }: { row: { failingSince: Date | null; failedAttempts: number; behindEvents: number; lastError: string | null; lastErrorAt: Date | null } }) {
  if (row.failingSince) {
    // Behind: it stopped at an event it cannot apply (a PostgreSQL read model never skips one) and retries it.
    return (
      <span className="error">
        {row.behindEvents > 0 ? 'stopped' : 'failing'} since <LocalTime iso={row.failingSince} seconds />, {row.failedAttempts} {row.failedAttempts === 1 ? 'attempt' : 'attempts'}
        {row.lastError && (
          <span className="consumer-error" title={row.lastError}>
            {row.lastError}
          </span>
        )}
      </span>
    );
  }
  if (row.lastError && row.lastErrorAt) {
    return (
      <>
        healthy <span className="held-heartbeat">last error <LocalTime iso={row.lastErrorAt} seconds /></span>
      </>
    );
  }
  return 'healthy';
}

/**
 * Refreshes every few seconds: this page is for watching a backlog drain. The lag history is sampled every
 * 10 s, so it is fetched that often; the chart below the table follows the consumer whose sparkline was
 * chosen, or else the one most behind in the last hour.
 */
export function ProjectionStatusView() {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.operations.status.queryOptions(), refetchInterval: 3_000 });
  const history = useQuery({ ...trpc.operations.lagHistory.queryOptions({}), refetchInterval: 10_000 });
  const [chosen, setChosen] = useState<string | null>(null);
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!data) return <p>Loading…</p>;
  const historyOf = new Map(history.data?.map((entry) => [entry.consumer, entry.points]));
  const worstOf = (consumer: string) => Math.max(0, ...(historyOf.get(consumer) ?? []).map((point) => point.behindEvents));
  // The worst of an hour changes seldom, and ties keep the table's order, so the chart does not hop between refreshes.
  const charted = chosen ?? [...data.consumers].sort((a, b) => worstOf(b.consumer) - worstOf(a.consumer))[0]?.consumer ?? null;
  return (
    <>
      <h2>Consumers of the event log</h2>
      <p className="stock">
        Each read model follows the event log on its own. “Behind” counts committed events it has not read yet, and
        “lag” how long the oldest of them has waited; “throughput” is the events it read per second over the last
        minute, and the line beside it its backlog over the last hour (choose one to see its chart below). A consumer
        whose batches fail is retried with growing pauses; its health says since when and how many attempts: a
        PostgreSQL read model stops at an event it cannot apply until the cause is fixed, since skipping it would
        leave the read model wrong. Elasticsearch and the broker instead set aside what they refuse for good as a
        dead letter, and carry on.
        Each consumer runs in one worker at a time, the “holder” of its lease, which renews it every heartbeat; when a
        worker dies, another takes its consumers within a few seconds. A paused consumer runs nowhere until resumed.
      </p>
      <div className="table-scroll">
        <table aria-label="Consumers" className="consumers-table">
          <thead>
            <tr>
              <th>Consumer</th>
              <th>Run</th>
              <th className="number">Behind</th>
              <th className="number">Lag</th>
              <th className="number">Throughput</th>
              <th>Last hour</th>
              <th>Health</th>
              <th>Held by</th>
              <th className="number">Dead letters</th>
              <th>Last moved</th>
              <th>Checkpoint</th>
            </tr>
          </thead>
          <tbody>
            {data.consumers.map((row) => (
              <tr key={row.consumer}>
                <td className="consumer-name">{row.consumer}</td>
                <td className="consumer-run">
                  {row.pausedAt && (
                    <span>
                      paused <LocalTime iso={row.pausedAt} seconds /> by {row.pausedBy}{' '}
                    </span>
                  )}
                  <PauseButton consumer={row.consumer} paused={row.pausedAt !== null} />
                </td>
                <td className="number" data-label="Behind">
                  {row.behindEvents}
                </td>
                <td className="number" data-label="Lag">
                  {formatLag(row.lagSeconds)}
                </td>
                <td className="number" data-label="Throughput">
                  {formatThroughput(row.eventsPerSecond)}
                </td>
                <td data-label="Last hour">
                  <LagSparkline
                    consumer={row.consumer}
                    points={history.data ? (historyOf.get(row.consumer) ?? []) : undefined}
                    selected={row.consumer === charted}
                    onSelect={() => setChosen(row.consumer)}
                  />
                </td>
                <td className={row.failingSince ? 'consumer-health consumer-failing' : 'consumer-health'} data-label="Health">
                  <Health row={row} />
                </td>
                <td className="consumer-holder" data-label="Held by">
                  {/* A paused consumer is held until its holder has finished the batch in hand: "nobody (paused)" says
                      the pause has taken effect, so staff know nothing moves it until they resume it. */}
                  {row.holder ? <code>{row.holder}</code> : row.pausedAt ? 'nobody (paused)' : 'nobody (waiting for a worker)'}
                  {row.holder && row.heartbeatAt && (
                    <span className="held-heartbeat">
                      heartbeat <LocalTime iso={row.heartbeatAt} seconds />
                    </span>
                  )}
                </td>
                <td className="number" data-label="Dead letters">
                  {row.deadLetters > 0 ? <Link href="/back-office/dead-letters">{row.deadLetters}</Link> : 0}
                </td>
                <td className="consumer-moved" data-label="Last moved">
                  <LocalTime iso={row.updatedAt} seconds />
                </td>
                <td className="consumer-checkpoint" data-label="Checkpoint">
                  <code>{row.checkpoint}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {history.error && (
        <p className="error" role="alert">
          The lag of the last hour could not be read: {history.error.message}
        </p>
      )}
      {charted && <ConsumerLagChart consumer={charted} />}
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
