import type { SqlExecutor } from '../sql';
import { UnreadableEventError } from './errors';
import { columns, type EventRecord } from './read';
import type { EventCodec } from './schemas';
import type { EventMetadata, StoredEventPlace } from './types';

/**
 * An event as an operator inspects it: the data as the row stores it beside the shape code above the store
 * sees, so an upcast is visible rather than hidden. An event the code cannot read is still shown, with why.
 */
export type InspectedEvent = StoredEventPlace & {
  /** The type's current schema version: the event was upcast when it is above `schemaVersion`. */
  readonly currentVersion: number;
  readonly stored: unknown;
  /** In the type's current shape; null when the event cannot be read (`unreadable` says why). */
  readonly data: object | null;
  readonly unreadable: string | null;
  readonly metadata: EventMetadata;
};

export type StreamPage = {
  /** The stream's current version: its last event's; 0 for a stream the log does not have. */
  readonly version: number;
  readonly events: InspectedEvent[];
};

export type RecentStream = {
  readonly streamId: string;
  readonly version: number;
  readonly lastType: string;
  readonly lastRecordedAt: Date;
};

/** An event as read, with its stored data kept and decoded; decoding never throws here. */
export function inspectEvent(record: EventRecord, codec: EventCodec): InspectedEvent {
  const globalPosition = Number(record.globalPosition);
  let data: object | null = null;
  let unreadable: string | null = null;
  try {
    data = codec.decode(record.type, record.schemaVersion, record.data, { ...record, globalPosition });
  } catch (error) {
    if (!(error instanceof UnreadableEventError)) throw error;
    unreadable = error.reason;
  }
  return {
    globalPosition,
    transactionId: Number(record.transactionId),
    streamId: record.streamId,
    streamVersion: record.streamVersion,
    eventId: record.eventId,
    type: record.type,
    schemaVersion: record.schemaVersion,
    currentVersion: codec.currentVersion(record.type),
    stored: record.data,
    data,
    unreadable,
    metadata: record.metadata,
    recordedAt: record.recordedAt,
  };
}

/**
 * A page of one stream, from stream version `from` on, with the stream's current version, in one statement
 * served by the (stream id, stream version) index. An unknown stream is an empty page at version 0.
 */
export async function readStreamPage(
  db: SqlExecutor,
  codec: EventCodec,
  streamId: string,
  page: { readonly from: number; readonly limit: number },
): Promise<StreamPage> {
  const rows = await db.query<Partial<EventRecord> & { head: number | null }>(
    `select head.version as head, page.*
     from (select max(stream_version) as version from events where stream_id = $1) as head
     left join lateral (
       select ${columns} from events
       where stream_id = $1 and stream_version >= $2
       order by stream_version
       limit $3) as page on true`,
    [streamId, page.from, page.limit],
  );
  const events = rows.filter((row) => row.globalPosition != null).map((row) => inspectEvent(row as EventRecord, codec));
  return { version: rows[0]?.head ?? 0, events };
}

/**
 * Every event that carries this correlation id, in log order, at most `limit`. No index serves the lookup
 * (every append pays for every index on the log, docs/event-store.md), so this reads the log from the end
 * backwards until it has `limit` of them or reaches the start: an operator's occasional question, cheap for a
 * recent chain and slow for an old one in a long log. `complete` says whether the whole chain was found.
 */
export async function readCorrelation(
  db: SqlExecutor,
  codec: EventCodec,
  correlationId: string,
  limit: number,
): Promise<{ events: InspectedEvent[]; complete: boolean }> {
  const records = await db.query<EventRecord>(
    `select * from (
       select ${columns} from events
       where metadata->>'correlationId' = $1
       order by transaction_id desc, global_position desc
       limit $2) as chain
     order by "globalPosition"`,
    [correlationId, limit + 1],
  );
  const complete = records.length <= limit;
  // Read from the end, the newest `limit + 1`: a chain too long for one answer keeps its latest `limit` events.
  const kept = complete ? records : records.slice(1);
  return { events: kept.map((record) => inspectEvent(record, codec)), complete };
}

/**
 * The streams written to most recently: those of the log's last `scan` events, newest first, read down the
 * primary key from its end. What a stream browser offers to pick from without scanning the log.
 */
export async function readRecentStreams(db: SqlExecutor, scan: number): Promise<RecentStream[]> {
  return db.query<RecentStream>(
    `select "streamId", version, "lastType", "lastRecordedAt" from (
       select distinct on (stream_id) stream_id as "streamId", stream_version as version,
         event_type as "lastType", recorded_at as "lastRecordedAt", global_position
       from (select stream_id, stream_version, event_type, recorded_at, global_position from events
             order by transaction_id desc, global_position desc limit $1) as tail
       order by stream_id, global_position desc) as latest
     order by global_position desc`,
    [scan],
  );
}

/** Which of these idempotency keys are recorded, with the transaction that appended each command's events. */
export async function findCommandKeys(
  db: SqlExecutor,
  keys: readonly string[],
): Promise<{ idempotencyKey: string; transactionId: number | null; recordedAt: Date }[]> {
  if (keys.length === 0) return [];
  const rows = await db.query<{ idempotencyKey: string; transactionId: string | null; recordedAt: Date }>(
    `select idempotency_key as "idempotencyKey", last_transaction_id::text as "transactionId", recorded_at as "recordedAt"
     from command_results
     where idempotency_key = any(array(select json_array_elements_text($1::text::json)))`,
    [JSON.stringify(keys)],
  );
  return rows.map((row) => ({ ...row, transactionId: row.transactionId === null ? null : Number(row.transactionId) }));
}
