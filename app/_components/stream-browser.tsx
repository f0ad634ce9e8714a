'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { actorLabel, keyLabel, streamLabel } from './back-office-labels';
import { streamHref, traceHref } from './back-office-links';
import { shortId } from './format';
import { LocalTime } from './local-time';
import { QueryStates } from './query-states';

/** Streams listed per category: enough to pick a recent one, short enough that every category is in view. */
const perCategory = 8;

type StreamPage = RouterOutputs['streams']['read'];
type BrowsedEvent = StreamPage['events'][number];

/** Where the browser stands: a stream (at a page, or at the page of one version), or none yet. */
export type StreamBrowserAt = { streamId: string | null; page: number; version?: number };

/**
 * The log below every read model: open any stream by its id, or pick one of those written to last, and read
 * its events a page at a time, each with its metadata and its data as stored beside the shape code sees.
 */
export function StreamBrowser({ at }: { at: StreamBrowserAt }) {
  return (
    <>
      <h1>Streams</h1>
      <form action="/back-office/streams" className="back-office-filters" role="search" aria-label="Open a stream">
        <label>
          Stream id
          <input name="stream" type="search" defaultValue={at.streamId ?? ''} placeholder="e.g. order-3f2a…" maxLength={200} required />
        </label>
        <button type="submit">Open</button>
        {at.streamId && <Link href="/back-office/streams">Recent streams</Link>}
      </form>
      {at.streamId ? <StreamEvents streamId={at.streamId} page={at.page} version={at.version} /> : <RecentStreams />}
    </>
  );
}

function RecentStreams() {
  const trpc = useTRPC();
  const query = useQuery(trpc.streams.recent.queryOptions());
  return (
    <section aria-labelledby="recent-heading">
      <h2 id="recent-heading">Written to last</h2>
      <QueryStates query={query} isEmpty={(recent) => recent.streams.length === 0} empty="The log is empty.">
        {(recent) => (
          <>
            <p className="stock">
              The streams of the log&apos;s last {recent.scanned} events, newest first. By category:{' '}
              {recent.categories.map((category, index) => (
                <span key={category.category}>
                  {index > 0 && ', '}
                  <a href={`#category-${category.category}`}>{category.category}</a> ({category.count})
                </span>
              ))}
              .
            </p>
            {recent.categories.map(({ category, count }) => (
              <div key={category} id={`category-${category}`}>
                <h3>{category}</h3>
                <ul className="stream-list">
                  {recent.streams
                    .filter((stream) => stream.category === category)
                    .slice(0, perCategory)
                    .map((stream) => (
                      <li key={stream.streamId}>
                        <Link href={streamHref(stream.streamId)} title={stream.streamId}>
                          {stream.streamId}
                        </Link>{' '}
                        <span className="stock">
                          v{stream.version} · {stream.lastType} · <LocalTime iso={stream.lastRecordedAt} seconds />
                        </span>
                      </li>
                    ))}
                </ul>
                {count > perCategory && <p className="stock">and {count - perCategory} more {category} streams among those events.</p>}
              </div>
            ))}
          </>
        )}
      </QueryStates>
    </section>
  );
}

function StreamEvents({ streamId, page, version }: { streamId: string; page: number; version?: number }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.streams.read.queryOptions({ streamId, page, version }));
  return (
    <section aria-labelledby="stream-heading">
      <h2 id="stream-heading" className="id">
        {streamId}
      </h2>
      <QueryStates
        query={query}
        isEmpty={(stream) => !stream.exists}
        empty={
          <>
            The log has no stream <code>{streamId}</code>. Stream ids are a category and an id, like <code>order-&lt;uuid&gt;</code>.
          </>
        }
      >
        {(stream) => (
          <>
            <dl className="back-office-facts" aria-label="Stream">
              <div>
                <dt>Category</dt>
                <dd>{stream.category}</dd>
              </div>
              <div>
                <dt>Version</dt>
                <dd>{stream.version}</dd>
              </div>
              <div>
                <dt>Page</dt>
                <dd>
                  {stream.page} of {stream.pageCount}
                </dd>
              </div>
            </dl>
            {stream.events.length === 0 ? (
              <p className="notice">
                No events on this page: the stream ends at version {stream.version}.{' '}
                <Link href={streamHref(streamId, { page: stream.pageCount })}>Last page</Link>
              </p>
            ) : (
              <ol className="stream-events" aria-label="Events">
                {stream.events.map((event) => (
                  <EventItem key={event.eventId} event={event} />
                ))}
              </ol>
            )}
            <StreamPager stream={stream} />
          </>
        )}
      </QueryStates>
    </section>
  );
}

/** One event: where it sits, its metadata, and its data, as stored and (where it differs) as the domain sees it. */
function EventItem({ event }: { event: BrowsedEvent }) {
  // A command from the edge is caused by itself: its key is the causation of the events it appended.
  const causedByCommand = event.idempotencyKey !== null && event.causationId === event.idempotencyKey;
  // Stored in the current version, the two shapes are the same object: one is shown, said to be both.
  const twoShapes = event.upcast || event.unreadable !== null;
  return (
    <li id={`v${event.streamVersion}`}>
      <p className="stream-event-head">
        <span className="stream-event-version">v{event.streamVersion}</span> <strong>{event.type}</strong>{' '}
        {event.unreadable ? (
          <span className="error">unreadable (stored as v{event.schemaVersion})</span>
        ) : event.upcast ? (
          <span className="upcast">
            upcast v{event.schemaVersion} → v{event.currentVersion}
          </span>
        ) : (
          <span className="stock">v{event.schemaVersion}</span>
        )}
        <span className="stock">
          {' '}
          · position #{event.globalPosition} · <LocalTime iso={event.recordedAt} seconds />
        </span>
      </p>
      <dl className="event-metadata">
        <div>
          <dt>Correlation</dt>
          <dd>
            <Link href={traceHref(event.correlationId)} title={event.correlationId}>
              {shortId(event.correlationId)}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Caused by</dt>
          <dd>
            <Link href={traceHref(event.correlationId, causedByCommand ? { commandKey: event.causationId } : { eventId: event.causationId })} title={event.causationId}>
              {causedByCommand ? 'its command' : `event ${shortId(event.causationId)}`}
            </Link>
          </dd>
        </div>
        <div>
          <dt>Idempotency key</dt>
          <dd>{event.idempotencyKey ? <code title={event.idempotencyKey}>{keyLabel(event.idempotencyKey)}</code> : <span className="stock">none recorded</span>}</dd>
        </div>
        <div>
          <dt>Actor</dt>
          <dd>
            <code title={event.actor}>{actorLabel(event.actor)}</code> via {event.source}
          </dd>
        </div>
      </dl>
      <details>
        <summary>{twoShapes ? 'Data as stored and as the domain sees it' : 'Data'}</summary>
        <div className="event-shapes">
          <figure>
            <figcaption>{twoShapes ? `As stored (v${event.schemaVersion})` : `As stored, the current shape (v${event.schemaVersion})`}</figcaption>
            <pre className="event-data">{JSON.stringify(event.stored, null, 2)}</pre>
          </figure>
          {twoShapes && (
            <figure>
              <figcaption>{event.unreadable ? 'As the domain sees it' : `As the domain sees it (v${event.currentVersion})`}</figcaption>
              <pre className="event-data">{event.data ? JSON.stringify(event.data, null, 2) : `This code cannot read it: ${event.unreadable}`}</pre>
            </figure>
          )}
        </div>
        <span className="id">event {event.eventId}</span>
      </details>
    </li>
  );
}

function StreamPager({ stream }: { stream: StreamPage }) {
  if (stream.pageCount <= 1) return null;
  const label = streamLabel(stream.streamId);
  return (
    <nav className="pager" aria-label="Pages">
      {stream.page > 1 ? <Link href={streamHref(stream.streamId, { page: stream.page - 1 })}>← Earlier</Link> : <span className="pager-end">← Earlier</span>}
      <span className="stock">
        {label.kind} {label.id}: page {stream.page} of {stream.pageCount}
      </span>
      {stream.page < stream.pageCount ? (
        <Link href={streamHref(stream.streamId, { page: stream.page + 1 })}>Later →</Link>
      ) : (
        <span className="pager-end">Later →</span>
      )}
    </nav>
  );
}
