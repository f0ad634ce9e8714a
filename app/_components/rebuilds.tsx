'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { formatDuration } from './duration';
import { LocalTime } from './local-time';

type Rebuild = RouterOutputs['rebuilds']['list']['rebuilds'][number];

const count = (value: number) => value.toLocaleString('en');


/** What the rebuild covers, short: one or two names, or how many. */
function subject(rebuild: Rebuild, all: number): string {
  if (rebuild.projections.length === all && all > 2) return `All ${all} PostgreSQL read models`;
  return rebuild.projections.join(', ');
}

function StartRebuild({ readModels }: { readModels: { name: string; kind: 'postgres' | 'elasticsearch'; version: number }[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState('all');
  const start = useMutation({
    ...trpc.rebuilds.start.mutationOptions(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.rebuilds.list.queryKey() }),
  });
  return (
    <form
      className="rebuild-form"
      onSubmit={(event) => {
        event.preventDefault();
        start.mutate(choice === 'all' ? { all: true } : { readModels: [choice] });
      }}
    >
      <label>
        Rebuild{' '}
        <select value={choice} onChange={(event) => setChoice(event.target.value)}>
          <option value="all">every PostgreSQL read model (one read of the log)</option>
          {readModels.map((readModel) => (
            <option key={readModel.name} value={readModel.name}>
              {readModel.name} ({readModel.kind === 'elasticsearch' ? 'Elasticsearch index' : `version ${readModel.version}`})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={start.isPending}>
        Start rebuild
      </button>
      {start.error && (
        <span className="error" role="alert">
          {start.error.message}
        </span>
      )}
    </form>
  );
}

function CancelRebuild({ rebuild }: { rebuild: Rebuild }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    ...trpc.rebuilds.cancel.mutationOptions(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.rebuilds.list.queryKey() }),
  });
  if (rebuild.cancelRequested) return <span>cancelling after this batch…</span>;
  return (
    <>
      <button type="button" disabled={cancel.isPending} onClick={() => cancel.mutate({ id: rebuild.id })} aria-label={`Cancel rebuild ${rebuild.id}`}>
        Cancel
      </button>
      {cancel.error && (
        <span className="error" role="alert">
          {cancel.error.message}
        </span>
      )}
    </>
  );
}

function Progress({ rebuild }: { rebuild: Rebuild }) {
  const ratio = rebuild.eventsTotal === 0 ? 0 : Math.min(1, rebuild.eventsDone / rebuild.eventsTotal);
  const percent = Math.floor(ratio * 100);
  const label =
    rebuild.status === 'queued'
      ? 'waiting for a worker to take it'
      : `${count(rebuild.eventsDone)} of ${count(rebuild.eventsTotal)} events` +
        (rebuild.eventsPerSecond > 0 ? `, ${count(rebuild.eventsPerSecond)}/s` : '') +
        (rebuild.secondsLeft !== null && rebuild.eventsDone < rebuild.eventsTotal ? `, about ${formatDuration(rebuild.secondsLeft)} left` : '') +
        (rebuild.eventsDone >= rebuild.eventsTotal && rebuild.eventsTotal > 0 ? ', verifying and swapping' : '');
  return (
    <div className="rebuild-progress">
      <div
        className="rebuild-bar"
        role="progressbar"
        aria-label={`Rebuild ${rebuild.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={label}
      >
        <div className="rebuild-bar-done" style={{ width: `${ratio * 100}%` }} />
      </div>
      <span className="stock">
        {percent}% · {label}
      </span>
    </div>
  );
}

function Outcome({ rebuild, index }: { rebuild: Rebuild; index: boolean }) {
  const verification = rebuild.verification;
  if (rebuild.status === 'swapped' && verification) {
    const changed = verification.changedOnPurpose;
    const identical = verification.tables.filter((table) => table.live.hash === table.rebuilt.hash && table.live.rows === table.rebuilt.rows).length;
    return (
      <p>
        Swapped in at {rebuild.finishedAt && <LocalTime iso={rebuild.finishedAt} seconds />} after {count(rebuild.eventsDone)} events:{' '}
        {index
          ? changed.length > 0
            ? 'the first index of its version, as there was none live (at '
            : `the new index ${identical === 1 ? 'identical to' : 'different from'} the live one (document count and content hash at `
          : `${identical} of ${verification.tables.length} tables identical to the live ones (row count and content hash at `}
        <code>{verification.at}</code>)
        {changed.length > 0 && !index && <>; a new version of {changed.join(', ')}, changed on purpose</>}.
      </p>
    );
  }
  if (rebuild.status === 'cancelled') {
    return <p>Cancelled{rebuild.finishedAt && <> <LocalTime iso={rebuild.finishedAt} seconds /></>}: the live read models were never touched.</p>;
  }
  if (rebuild.status === 'failed') return <p className="error">Failed; the live read models were kept. {rebuild.error}</p>;
  return null;
}

/**
 * The console's rebuilds: start one, watch its progress bar (refreshed every second while one runs), cancel
 * it, and see how the last ones ended and what their verification found.
 */
export function Rebuilds() {
  const trpc = useTRPC();
  const { data, error } = useQuery({
    ...trpc.rebuilds.list.queryOptions(),
    refetchInterval: (query) => (query.state.data?.rebuilds.some((rebuild) => rebuild.status === 'queued' || rebuild.status === 'running') ? 1_000 : 5_000),
  });
  return (
    <section aria-labelledby="rebuilds-heading">
      <h2 id="rebuilds-heading">Rebuilds</h2>
      <p className="stock">
        A rebuild reads the event log from its start into new tables beside the live read model, which keeps serving
        and following the log meanwhile. When it has caught up, its tables are compared with the live ones at the
        same checkpoint (row counts and a hash of their content) and swapped in, in one transaction: pages never see
        an empty or half-built read model. A difference keeps the live one, unless the read model’s version was
        bumped on purpose (a deploy that does that starts its rebuild by itself). A search index is rebuilt into a new
        index beside the live one, compared document by document, and swapped in by one alias update.
      </p>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      {data && (
        <>
          <StartRebuild readModels={data.readModels} />
          {data.rebuilds.length === 0 ? (
            <p>No rebuild has run yet.</p>
          ) : (
            <ul className="rebuild-list" aria-label="Rebuilds">
              {data.rebuilds.map((rebuild) => (
                <li key={rebuild.id} className="rebuild" aria-label={`Rebuild ${rebuild.id}`}>
                  <div className="rebuild-heading">
                    <strong>{subject(rebuild, data.readModels.filter((readModel) => readModel.kind === 'postgres').length)}</strong>{' '}
                    <span className={`status status-rebuild-${rebuild.status}`}>{rebuild.status}</span>{' '}
                    <span className="stock">
                      #{rebuild.id}, {rebuild.reason}, <LocalTime iso={rebuild.requestedAt} seconds />
                    </span>
                  </div>
                  {(rebuild.status === 'queued' || rebuild.status === 'running') && (
                    <div className="actions">
                      <Progress rebuild={rebuild} />
                      <CancelRebuild rebuild={rebuild} />
                    </div>
                  )}
                  <Outcome rebuild={rebuild} index={data.readModels.some((readModel) => readModel.kind === 'elasticsearch' && rebuild.projections.includes(readModel.name))} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
