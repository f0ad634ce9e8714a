import type { SqlExecutor } from '../sql';
import type { LogPosition } from './log-position';
import type { EventMetadata, ReadAllResult, StoredEvent } from './types';

export type EventRecord = {
  globalPosition: string;
  transactionId: string;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
};

export const columns = `
  global_position::text as "globalPosition", transaction_id::text as "transactionId", stream_id as "streamId",
  stream_version as "streamVersion", event_id as "eventId", event_type as type, schema_version as "schemaVersion",
  data, metadata, recorded_at as "recordedAt"`;

export function toStoredEvent(record: EventRecord): StoredEvent {
  return { ...record, globalPosition: Number(record.globalPosition), transactionId: Number(record.transactionId) };
}

export type ReadStreamOptions = {
  /** First stream version to return (inclusive); defaults to 1. */
  readonly from?: number;
  /** Last stream version to return (inclusive); defaults to the end. */
  readonly to?: number;
};

/** A stream's events in version order. An unknown stream reads as empty. */
export async function readStream(db: SqlExecutor, streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
  const records = await db.query<EventRecord>(
    `select ${columns} from events
     where stream_id = $1 and stream_version between $2 and $3
     order by stream_version`,
    [streamId, options.from ?? 1, options.to ?? 2_147_483_647],
  );
  return records.map(toStoredEvent);
}

export type ReadAllOptions = {
  /** Continue after this log position (a checkpoint); `logStart` reads from the beginning. */
  readonly after: LogPosition;
  readonly limit: number;
};

/**
 * Reads the global log in (transaction id, position) order, never past a transaction that may still commit.
 *
 * `pg_snapshot_xmin(pg_current_snapshot())` is the oldest transaction still running. Every transaction below
 * it has finished, and every later one gets a higher id, so the set of events below that horizon is final:
 * a reader that checkpoints within it can never miss an event that commits later. See docs/event-store.md.
 */
export async function readAll(db: SqlExecutor, options: ReadAllOptions): Promise<ReadAllResult> {
  const records = await db.query<EventRecord>(
    `select ${columns} from events
     where (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
       and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
     order by transaction_id, global_position
     limit $3`,
    [String(options.after.transactionId), String(options.after.position), options.limit],
  );
  const events = records.map(toStoredEvent);
  const last = events.at(-1);
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, position: last.globalPosition } : options.after,
  };
}

/**
 * The last committed event this connection can see, in reader order; null for an empty log. A reader whose
 * checkpoint is below it while `readAll` returns nothing is waiting for an older transaction to finish.
 */
export async function readHead(db: SqlExecutor): Promise<LogPosition | null> {
  const [row] = await db.query<{ transactionId: string; position: string }>(
    `select transaction_id::text as "transactionId", global_position::text as position from events
     order by transaction_id desc, global_position desc
     limit 1`,
  );
  return row ? { transactionId: Number(row.transactionId), position: Number(row.position) } : null;
}
