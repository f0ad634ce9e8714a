'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../_trpc/client';
import { formatDuration } from './duration';
import { QueryStates } from './query-states';

const refreshEveryMs = 3_000;


/**
 * The log's horizon: every consumer reads below the oldest transaction that may still append
 * (docs/event-store.md), so one left open holds them all back at once, and no consumer's own row says why.
 * This names it, with what an operator needs to find it (pid, process, client, statement) and to end it
 * (`select pg_terminate_backend(pid)`), and turns into a warning once it has held for seconds: an append
 * commits in milliseconds.
 */
export function LogHorizon() {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.operations.horizon.queryOptions(), refetchInterval: refreshEveryMs });
  return (
    <section aria-labelledby="horizon-heading">
      <h2 id="horizon-heading">Log horizon</h2>
      <QueryStates query={query} isEmpty={(horizon) => horizon.holders.length === 0} empty="Nothing holds the readers back.">
        {(horizon) => {
          const [oldest, ...behind] = horizon.holders;
          if (!oldest) return null;
          return (
            <div className={horizon.warning ? 'banner banner-delayed' : 'notice'} role={horizon.warning ? 'alert' : undefined}>
              <p>
                {horizon.warning && <strong>Held for over {formatDuration(horizon.warnMs / 1_000)}: </strong>}
                The readers wait for transaction <code>{oldest.transactionId}</code> of process{' '}
                <code>{oldest.pid}</code> ({oldest.applicationName || 'no application name'}
                {oldest.clientAddress && ` at ${oldest.clientAddress}`}), open for {formatDuration(oldest.ageMs / 1_000)}, {oldest.state ?? 'state unknown'}
                {oldest.waitEvent && `, waiting on ${oldest.waitEvent}`}.{' '}
                {horizon.heldBack ? 'Committed events wait behind it.' : 'No committed event waits behind it yet.'}
                {behind.length > 0 && ` ${behind.length === 1 ? '1 more appender runs' : `${behind.length} more appenders run`} after it.`}
              </p>
              <div className="table-scroll">
                <pre aria-label="Statement">{oldest.statement || '(no statement)'}</pre>
              </div>
            </div>
          );
        }}
      </QueryStates>
    </section>
  );
}
