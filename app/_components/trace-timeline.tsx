import Link from 'next/link';
import type { RouterOutputs } from '../_trpc/types';
import { actorLabel, keyLabel, streamLabel } from './back-office-labels';
import { streamHref, traceHref } from './back-office-links';
import { shortId } from './format';
import { LocalTime } from './local-time';

export type TraceEntry = RouterOutputs['streams']['trace']['timeline'][number];
type EventEntry = Extract<TraceEntry, { event: unknown }>;

const kindLabels = {
  command: 'Command',
  event: 'Event',
  'process-step': 'Process step',
  timer: 'Timer',
  'integration-received': 'Received from the warehouse',
  'integration-published': 'Integration event',
  mail: 'Mail',
} as const satisfies Record<TraceEntry['kind'], string>;

/**
 * A trace as one timeline in log order: each command, then each event it appended (a process step, a timer,
 * an outcome from the warehouse), the integration event the relay published for it and the mail it led to.
 * Streams and events link into the stream browser; a causation inside the trace links to its line.
 */
export function TraceTimeline({ timeline }: { timeline: readonly TraceEntry[] }) {
  const eventIds = new Set(timeline.flatMap((entry) => ('event' in entry ? [entry.event.eventId] : [])));
  const commandKeys = new Set(timeline.flatMap((entry) => (entry.kind === 'command' && entry.idempotencyKey ? [entry.idempotencyKey] : [])));
  return (
    <div className="table-scroll">
      <table aria-label="Timeline" className="trace-events trace-timeline">
        <thead>
          <tr>
            <th className="number">Position</th>
            <th>Recorded</th>
            <th>Kind</th>
            <th>What</th>
            <th>Correlation · caused by</th>
          </tr>
        </thead>
        <tbody>
          {timeline.map((entry) => (
            <TimelineRow key={rowKey(entry)} entry={entry} eventIds={eventIds} commandKeys={commandKeys} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rowKey(entry: TraceEntry): string {
  if ('event' in entry) return `event-${entry.event.eventId}`;
  if (entry.kind === 'command') return `command-${entry.position}`;
  return `${entry.kind}-${entry.eventId}`;
}

function TimelineRow({ entry, eventIds, commandKeys }: { entry: TraceEntry; eventIds: Set<string>; commandKeys: Set<string> }) {
  const kind = entry.kind === 'timer' ? `Timer ${entry.timer.state}` : kindLabels[entry.kind];
  const cells = (() => {
    switch (entry.kind) {
      case 'command':
        return {
          id: entry.idempotencyKey ? `command-${entry.idempotencyKey}` : undefined,
          at: entry.at,
          what: (
            <>
              by <code title={entry.actor}>{actorLabel(entry.actor)}</code> via {entry.source}: {entry.eventCount === 1 ? '1 event' : `${entry.eventCount} events`} in{' '}
              {entry.streamIds.map((streamId, index) => (
                <span key={streamId}>
                  {index > 0 && ', '}
                  <StreamLink streamId={streamId} />
                </span>
              ))}
              <span className="stock"> · key {entry.idempotencyKey ? <code title={entry.idempotencyKey}>{keyLabel(entry.idempotencyKey)}</code> : 'none recorded'}</span>
            </>
          ),
          link: null,
        };
      case 'integration-published':
        return {
          id: undefined,
          at: null,
          what: (
            <>
              <strong>{entry.contract}</strong> for the event above <span className="stock">· {entry.state === 'published' ? 'published by the relay' : 'not published yet'}</span>
            </>
          ),
          link: null,
        };
      case 'mail':
        return {
          id: undefined,
          at: entry.sentAt,
          what: (
            <>
              <strong title={entry.messageId}>{entry.subject ?? `${entry.mailKind} mail`}</strong>
              {entry.to && <> to {entry.to}</>}{' '}
              <span className="stock">
                · {entry.state === 'sent' ? (entry.subject ? 'in the development mailbox' : 'sent') : 'not sent yet'}
              </span>
            </>
          ),
          link: null,
        };
      default:
        return { id: `event-${entry.event.eventId}`, at: entry.event.recordedAt, what: <EventCell entry={entry} />, link: <Causation entry={entry} eventIds={eventIds} commandKeys={commandKeys} /> };
    }
  })();
  return (
    <tr id={cells.id} data-kind={entry.kind}>
      <td className="number">{entry.position}</td>
      <td>{cells.at ? <LocalTime iso={cells.at} seconds /> : <span className="stock">—</span>}</td>
      <td>
        <span className={`trace-kind trace-kind-${entry.kind}`}>{kind}</span>
      </td>
      <td>{cells.what}</td>
      <td>{cells.link}</td>
    </tr>
  );
}

function StreamLink({ streamId, version }: { streamId: string; version?: number }) {
  const stream = streamLabel(streamId);
  return (
    <Link href={streamHref(streamId, { version })} title={streamId}>
      {stream.kind} <span className="id">{stream.id}</span>
      {version !== undefined && <> · v{version}</>}
    </Link>
  );
}

function EventCell({ entry }: { entry: EventEntry }) {
  const { event } = entry;
  return (
    <>
      <details>
        <summary>
          <strong>{event.type}</strong>
          {entry.kind === 'timer' && (
            <span className="stock">
              {' '}
              {entry.timer.name}, due <LocalTime iso={entry.timer.dueAt} seconds />
            </span>
          )}
          {event.schemaVersion > 1 && <span className="stock"> (stored as v{event.schemaVersion})</span>}
        </summary>
        <pre className="event-data">{event.data ? JSON.stringify(event.data, null, 2) : 'This event cannot be read by this code; the stream browser shows it as stored.'}</pre>
        <span className="id">event {event.eventId}</span>
      </details>
      <span className="stock">
        in <StreamLink streamId={event.streamId} version={event.streamVersion} /> by <code title={event.actor}>{actorLabel(event.actor)}</code> via {event.source}
      </span>
    </>
  );
}

/** The correlation id (a link to its own trace) and the causation: a line of this trace where it is one. */
function Causation({ entry, eventIds, commandKeys }: { entry: EventEntry; eventIds: Set<string>; commandKeys: Set<string> }) {
  const { correlationId, causationId } = entry.event;
  const anchor = eventIds.has(causationId) ? `#event-${causationId}` : commandKeys.has(causationId) ? `#command-${causationId}` : null;
  return (
    <>
      <Link href={traceHref(correlationId)} title={`correlation ${correlationId}`}>
        {shortId(correlationId)}
      </Link>{' '}
      ·{' '}
      {anchor ? (
        <a href={anchor} title={causationId}>
          ← {anchor.startsWith('#command') ? 'command' : 'event'}
        </a>
      ) : (
        <code title={`causation ${causationId}`}>{shortId(causationId)}</code>
      )}
    </>
  );
}
