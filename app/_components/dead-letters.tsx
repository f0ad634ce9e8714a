'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { deadLettersHref, streamHref } from './back-office-links';
import { readableError } from './format';
import { LocalTime } from './local-time';
import { QueryStates } from './query-states';

type Show = 'open' | 'resolved';
type Letter = RouterOutputs['deadLetters']['list']['letters'][number];
/** What the last Retry or Skip did, shown above the list: a delivered or skipped letter leaves it. */
type Result = { readonly text: string; readonly failed: boolean };

/** A consumer may set one aside at any moment; as often as the status page refreshes. */
const refreshEveryMs = 3_000;

const whatTheyAre = (
  <>
    A dead letter is something an external consumer of the event log could not deliver after its retries and set
    aside so it could carry on: a document Elasticsearch refuses (say, a field its mapping does not allow), or a
    message the broker or its contract refuses. Fix the cause, then Retry: the document is built again from the log
    as it is now, or the message is published again with the same id, so nothing newer is overwritten and nothing
    arrives twice. Skip gives up on it; it stays listed under Resolved. PostgreSQL read models have no dead letters:
    one that cannot apply an event stops there, with the reason on the <Link href="/back-office/status">status page</Link>
    , because skipping an event would leave it wrong.
  </>
);

/** The dead letters, open ones first: what, where in the log, why, and Retry and Skip for each open one. */
export function DeadLetters({ show }: { show: Show }) {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.deadLetters.list.queryOptions({ show }), refetchInterval: refreshEveryMs });
  const [result, setResult] = useState<Result | null>(null);
  const totals = (data?.counts ?? []).reduce((sum, row) => ({ open: sum.open + row.open, resolved: sum.resolved + row.resolved }), { open: 0, resolved: 0 });
  return (
    <section aria-labelledby="dead-letters-heading">
      <h2 id="dead-letters-heading" className="visually-hidden">
        {show === 'open' ? 'Open dead letters' : 'Resolved dead letters'}
      </h2>
      <p className="stock">{whatTheyAre}</p>
      <nav aria-label="Which dead letters">
        <ul className="filter-list status-filter">
          {(['open', 'resolved'] as const).map((option) => (
            <li key={option}>
              <Link href={deadLettersHref(option)} aria-current={option === show ? 'page' : undefined}>
                {option === 'open' ? 'Open' : 'Resolved'}
                {data && ` (${totals[option]})`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {result &&
        (result.failed ? (
          <p className="error" role="alert">
            {result.text}
          </p>
        ) : (
          <p className="notice" role="status">
            {result.text}
          </p>
        ))}
      <QueryStates
        query={{ data, error }}
        isEmpty={(loaded) => loaded.letters.length === 0}
        empty={show === 'open' ? 'No open dead letters: every consumer delivered everything it read.' : 'No dead letter has been retried or skipped yet.'}
      >
        {(loaded) => (
          <ul className="parked-list" aria-labelledby="dead-letters-heading">
            {loaded.letters.map((letter) => (
              <DeadLetterItem key={letter.id} letter={letter} onResult={setResult} />
            ))}
          </ul>
        )}
      </QueryStates>
    </section>
  );
}

function DeadLetterItem({ letter, onResult }: { letter: Letter; onResult: (result: Result) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.deadLetters.list.queryKey() });
  const name = `dead letter ${letter.id}`;
  const failed = (error: { message: string }) => onResult({ text: `${letter.eventType} (${name}): ${readableError(error)}`, failed: true });
  const retry = useMutation({
    ...trpc.deadLetters.retry.mutationOptions(),
    onSuccess: (answer) =>
      onResult(
        answer.status === 'retried'
          ? { text: `${letter.eventType} (${name}) delivered: marked retried.`, failed: false }
          : { text: `${letter.eventType} (${name}) was refused again and stays open: ${answer.error}`, failed: true },
      ),
    onError: failed,
    onSettled: refresh,
  });
  const skip = useMutation({
    ...trpc.deadLetters.skip.mutationOptions(),
    onSuccess: () => onResult({ text: `${letter.eventType} (${name}) skipped: kept under Resolved.`, failed: false }),
    onError: failed,
    onSettled: refresh,
  });
  const busy = retry.isPending || skip.isPending;
  const what = letter.kind === 'document' ? `document ${letter.target}` : `message ${letter.target}`;
  return (
    <li className={letter.status === 'open' ? 'parked' : 'notice'} aria-label={`Dead letter ${letter.id}: ${letter.eventType}, ${letter.consumer}`}>
      <p>
        <strong>
          {letter.eventType} · {letter.consumer}
        </strong>{' '}
        <span className="stock">
          {what} · stream <Link href={streamHref(letter.streamId, { version: letter.streamVersion })}>{letter.streamId}</Link> version{' '}
          {letter.streamVersion} · position {letter.globalPosition}
        </span>
      </p>
      <p>
        <code className="dead-letter-error">{letter.error}</code>
      </p>
      <p className="stock">
        Set aside <LocalTime iso={letter.recordedAt} seconds /> · {letter.attempts === 1 ? '1 attempt' : `${letter.attempts} attempts`}, the last{' '}
        <LocalTime iso={letter.lastAttemptAt} seconds />
        {letter.resolvedAt && (
          <>
            {' '}
            · {letter.status} <LocalTime iso={letter.resolvedAt} seconds /> by {letter.resolvedBy}
          </>
        )}
      </p>
      {letter.status === 'open' && (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => retry.mutate({ id: letter.id, idempotencyKey: crypto.randomUUID() })}>
            Retry<span className="visually-hidden"> {name}</span>
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => skip.mutate({ id: letter.id, idempotencyKey: crypto.randomUUID() })}>
            Skip<span className="visually-hidden"> {name}</span>
          </button>
        </div>
      )}
    </li>
  );
}
