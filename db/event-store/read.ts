import type { SqlExecutor } from '../sql';
import type { EventCodec } from './schemas';
import { logStart, type LogPosition } from '@/common/log-position';
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

/** An event's position in the log, then the rest of it: each column's SQL and the field it fills. */
const positionColumns = [
  ['global_position::text', 'globalPosition'],
  ['transaction_id::text', 'transactionId'],
] as const;
const contentColumns = [
  ['stream_id', 'streamId'],
  ['stream_version', 'streamVersion'],
  ['event_id', 'eventId'],
  ['event_type', 'type'],
  ['schema_version', 'schemaVersion'],
  ['data', 'data'],
  ['metadata', 'metadata'],
  ['recorded_at', 'recordedAt'],
] as const;
const select = (list: readonly (readonly [string, string])[]) => list.map(([sql, field]) => `${sql} as "${field}"`);

export const columns = select([...positionColumns, ...contentColumns]).join(', ');

/** A row as the store hands it on: positions as numbers, data upcast to its type's current shape. */
export function toStoredEvent(record: EventRecord, codec: EventCodec): StoredEvent {
  const globalPosition = Number(record.globalPosition);
  const at = { streamId: record.streamId, streamVersion: record.streamVersion, globalPosition };
  const data = codec.decode(record.type, record.schemaVersion, record.data, at);
  return { ...record, data, globalPosition, transactionId: Number(record.transactionId) };
}

export type ReadStreamOptions = {
  /** First stream version to return (inclusive); defaults to 1. */
  readonly from?: number;
  /** Last stream version to return (inclusive); defaults to the end. */
  readonly to?: number;
  /** Only events recorded at or before this instant: the stream as it stood then (time travel). */
  readonly until?: Date;
};

/**
 * A stream's events in version order, read like every other read: each upcast to its type's current shape.
 * With `to` or `until` it is the stream as it stood at that version or that moment; folding it gives the
 * aggregate's state then. An unknown stream reads as empty.
 */
export async function readStream(
  db: SqlExecutor,
  codec: EventCodec,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<StoredEvent[]> {
  // Without `until` the statement stays the one every command's load prepares.
  const until = options.until ? ` and recorded_at <= $4::timestamptz` : '';
  const params: unknown[] = [streamId, options.from ?? 1, options.to ?? 2_147_483_647];
  if (options.until) params.push(options.until.toISOString());
  const records = await db.query<EventRecord>(
    `select ${columns} from events
     where stream_id = $1 and stream_version between $2 and $3${until}
     order by stream_version`,
    params,
  );
  return records.map((record) => toStoredEvent(record, codec));
}

export type ReadAllOptions = {
  /**
   * Continue after this log position (a checkpoint; `logStart` reads from the beginning), or after the
   * stored checkpoint of this consumer (`consumer_checkpoints`), read by the same statement.
   */
  readonly after: LogPosition | { readonly checkpointOf: string };
  /** How many events to read past, at most (delivered or not). */
  readonly limit: number;
  /**
   * Deliver only events of these types. The others are still read past, and the checkpoint moves over them,
   * but their data and metadata are neither formatted by PostgreSQL nor parsed here: a consumer that
   * handles a few of the log's event types skipped most of what a rebuild read.
   */
  readonly types?: Iterable<string>;
};

/**
 * The horizon as a CTE named `horizon` with one column `xmin`: the oldest transaction running at the
 * statement's snapshot that holds the events table for writing (or finished since, and so may have appended),
 * else the snapshot's xmax. Shared by every reader of the log.
 */
export const horizonCte = `snapshot as materialized (select pg_current_snapshot() as taken),
     appenders as materialized (
       select holder.transactionid as xid
       from pg_locks as writing
       join pg_locks as holder on holder.virtualtransaction = writing.virtualtransaction and holder.locktype = 'transactionid'
       where writing.locktype = 'relation' and writing.relation = 'events'::regclass and writing.mode = 'RowExclusiveLock'
         and writing.database = (select oid from pg_database where datname = current_database())),
     horizon as materialized (
       select coalesce(
         (select min(running) from pg_snapshot_xip((select taken from snapshot)) as running
          where xid(running) in (select xid from appenders) or pg_xact_status(running) is distinct from 'in progress'),
         pg_snapshot_xmax((select taken from snapshot))) as xmin)`;

type PageRow = Partial<EventRecord> & {
  fromTransactionId: string;
  fromPosition: string;
  heldBack: boolean;
  delivered?: boolean;
  order_transaction_id?: unknown;
  order_position?: unknown;
};

/**
 * Reads the global log in (transaction id, position) order, never past a transaction that may still append.
 *
 * Every event carries the id of the transaction that appended it, and ids are handed out in order, so a
 * reader below the horizon, the oldest transaction that may still commit events, sees a final set: no event
 * can appear below it later, and a reader that checkpoints within it never misses one (docs/event-store.md).
 * The horizon is the oldest running transaction (`pg_snapshot_xmin`) *that holds the events table for
 * writing*; transactions that write only elsewhere (every read model's batch, a payment gateway's charge)
 * cannot add events, so they do not hold the readers back. The statement's snapshot lists the running
 * transactions; `pg_locks`, read after it, says which of them hold the events table. A transaction gets its
 * id from its first write, and an INSERT takes its table lock before it writes, so one that holds no such
 * lock when asked, yet already had an id at the snapshot, cannot append any more: the trigger of migration
 * 0012 refuses an append after another write. One that finished in between counts as an appender, to be safe.
 *
 * The same statement says whether committed events wait above the horizon (`heldBack`): then a transaction
 * that may append nothing (so sends no NOTIFY) is all that holds the reader, and it should look again soon.
 * Reading a consumer's checkpoint here too makes a batch's read one round trip.
 */
export async function readAll(db: SqlExecutor, codec: EventCodec, options: ReadAllOptions): Promise<ReadAllResult> {
  const fromCheckpoint = 'checkpointOf' in options.after;
  const params: unknown[] = fromCheckpoint
    ? [(options.after as { checkpointOf: string }).checkpointOf, options.limit]
    : [String((options.after as LogPosition).transactionId), String((options.after as LogPosition).position), options.limit];
  // An event of another type comes back as its position alone (`delivered` false), so the page still ends
  // where the read ended. The types travel as one JSON parameter, like every list this code sends.
  const delivered = options.types ? `event_type = any((select types from wanted)::text[])` : 'true';
  if (options.types) params.push(JSON.stringify([...options.types]));
  const pageColumns = options.types
    ? [
        ...select(positionColumns),
        `${delivered} as delivered`,
        ...select(contentColumns.map(([sql, field]) => [`case when ${delivered} then ${sql} end`, field] as const)),
      ].join(', ')
    : `${columns}, true as delivered`;
  const rows = await db.query<PageRow>(
    `with ${horizonCte},
     start as materialized (
       ${
         fromCheckpoint
           ? `select coalesce(checkpoint.transaction_id, '0'::xid8) as transaction_id, coalesce(checkpoint.position, 0) as position
              from (select) as one_row
              left join consumer_checkpoints as checkpoint on checkpoint.consumer = $1`
           : 'select $1::text::xid8 as transaction_id, $2::bigint as position'
       })${
         options.types
           ? `,
     wanted as materialized (select array(select json_array_elements_text($${params.length}::text::json)) as types)`
           : ''
       }
     select start.transaction_id::text as "fromTransactionId", start.position::text as "fromPosition",
       -- The newest event (one step down the index) at or above the horizon: something is held back.
       coalesce((select transaction_id from events order by transaction_id desc, global_position desc limit 1)
         >= (select xmin from horizon), false) as "heldBack", page.*
     from start
     left join lateral (
       select ${pageColumns}, transaction_id as order_transaction_id, global_position as order_position
       from events
       where (transaction_id, global_position) > (start.transaction_id, start.position)
         and transaction_id < (select xmin from horizon)
       order by transaction_id, global_position
       limit $${fromCheckpoint ? 2 : 3}) as page on true
     order by page.order_transaction_id, page.order_position`,
    params,
  );
  const [first] = rows;
  const from = first
    ? { transactionId: Number(first.fromTransactionId), position: Number(first.fromPosition) }
    : logStart;
  // Without events, the left join leaves one row of nulls.
  const page = rows.filter((row) => row.globalPosition != null);
  const events = page
    .filter((row): row is PageRow & EventRecord => row.delivered === true)
    .map(
      ({ fromTransactionId: _t, fromPosition: _p, heldBack: _h, delivered: _d, order_transaction_id: _ot, order_position: _op, ...record }) =>
        toStoredEvent(record, codec),
    );
  const last = page.at(-1);
  return {
    from,
    events,
    read: page.length,
    checkpoint: last ? { transactionId: Number(last.transactionId), position: Number(last.globalPosition) } : from,
    heldBack: first?.heldBack ?? false,
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
