import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { databaseError, type SqlClient, type SqlExecutor } from '../sql';
import { ConcurrencyError, IdempotencyKeyReusedError } from './errors';
import type { AppendOptions, AppendOutcome, AppendResult, CommandResult, ExpectedVersion, StreamAppend } from './types';

export const eventsChannel = 'hindsight_events';

/** The least time between two NOTIFYs from one process: appends in between share the next one. */
const notifySpacingMs = 2;

/**
 * Wakes the consumers of the log after appends, outside the appending transactions. A NOTIFY inside a transaction
 * makes PostgreSQL serialise the commits of all notifying transactions (they share one queue lock), which
 * capped concurrent appends far below a plain INSERT. Sent after the commit instead, and coalesced, it costs
 * one short statement per burst: the first append after a quiet spell notifies at once, and while appends
 * keep coming the NOTIFYs are at least `notifySpacingMs` apart (one NOTIFY per append cost up to a fifth of
 * the append rate at 8 writers; 2 ms is nothing beside a consumer's batch). If a process dies between its
 * commit and its NOTIFY, the consumers' poll interval picks the events up.
 */
export function coalescedNotifier(db: SqlClient, onFailure: (error: unknown) => void) {
  let again = false;
  let running: Promise<void> | null = null;
  const send = async () => {
    do {
      again = false;
      try {
        await db.query(`select pg_notify($1, '')`, [eventsChannel]);
      } catch (error) {
        onFailure(error);
      }
      await sleep(notifySpacingMs);
    } while (again);
    running = null;
  };
  return {
    notify(): void {
      if (running) again = true;
      else running = send();
    },
    /** Resolves once every NOTIFY asked for has been sent; await it before closing the connection. */
    async settled(): Promise<void> {
      while (running) await running;
    },
  };
}

/**
 * Appends to one or more streams atomically: all of it is written, or none.
 *
 * The whole append is one autocommit statement (see `appendStatement`): it reads each stream's current
 * version, inserts the events only if every expected version matches, and records the idempotency key with
 * the command's result and last position. One statement means one round trip, and a transaction that is open
 * only while PostgreSQL executes it: the consumers read below the oldest running transaction, so an append
 * that stayed open across client round trips would hold every consumer back with it.
 *
 * Concurrency: two writers that read the same version both try to insert the same (stream_id,
 * stream_version); the unique constraint lets the first commit and fails the second, which becomes a
 * ConcurrencyError. No lock is held between reading and deciding, so readers never wait.
 *
 * Idempotency: the key's row commits with the events or not at all. A duplicate that arrives while the first
 * is still running waits on the key's unique index until the first commits, then fails on it: nothing of the
 * duplicate is written, and it returns the first one's stored result instead.
 */
export async function appendToStreams<Result>(
  db: SqlClient,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendOutcome<Result>> {
  assertDistinctStreams(writes);
  // Streams are written in one global order (by id), so two appends that touch the same streams wait for
  // each other instead of deadlocking on each other's new rows.
  const ordered = [...writes].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  const { idempotency } = options;
  try {
    const appended = await appendInOneStatement(db, ordered, options);
    return { kind: 'appended', appended, result: idempotency?.result as Result };
  } catch (caught) {
    const error = asConcurrencyError(caught, writes) ?? caught;
    // A duplicate running at the same time collides with the first on the key or, as often, on the first
    // one's new stream versions (the events go in before the key). Either way, once it has committed, its
    // recorded key is the answer.
    if (idempotency && (isDuplicateKey(caught) || error instanceof ConcurrencyError)) {
      const previous = await findCommandResult<Result>(db, idempotency.key);
      if (previous) {
        if (previous.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
        return { kind: 'duplicate', result: previous.result, last: previous.last };
      }
    }
    throw error;
  }
}

/** The stored outcome of the command that recorded this idempotency key, if any. */
export async function findCommandResult<Result>(db: SqlExecutor, idempotencyKey: string): Promise<CommandResult<Result> | null> {
  const [row] = await db.query<{ requestHash: string; result: Result; transactionId: string | null; position: string | null }>(
    `select request_hash as "requestHash", result, last_transaction_id::text as "transactionId",
       last_position::text as position
     from command_results where idempotency_key = $1`,
    [idempotencyKey],
  );
  if (!row) return null;
  const last =
    row.transactionId != null && row.position != null
      ? { transactionId: Number(row.transactionId), position: Number(row.position) }
      : null;
  return { requestHash: row.requestHash, result: row.result, last };
}

/**
 * The whole append as one statement. It inserts the events only if every expected version holds, and, with
 * an idempotency key, records the key with the position of the last event (read from the events insert's
 * RETURNING, so the events go in before the key). Rows are inserted in the order of `writes` (sorted by
 * stream id), so the deadlock avoidance holds.
 */
async function appendInOneStatement<Result>(
  db: SqlExecutor,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendResult> {
  const known = writes.length > 0 && writes.every((write) => write.expectedVersion !== 'any' && write.events.length > 0);
  return known ? appendAtKnownVersions(db, writes, options) : appendAfterReadingVersions(db, writes, options);
}

/** Builds a statement's parameter list: `param(value)` adds a value and returns its placeholder. */
function parameters() {
  const values: unknown[] = [];
  return { values, param: (value: unknown) => `$${values.push(value)}` };
}

/** A write with the placeholder of its stream id, which each of its rows (and a check of it) refers to. */
type PlacedWrite = { readonly write: StreamAppend; readonly stream: string };

/**
 * The events as VALUES rows: (ordinal, event_id, stream_id, version, event_type, schema_version, data).
 * `version(write, index)` is the SQL of an event's version: a literal only where it follows from the
 * append's shape (a new stream's 1, 2, …), never an expected version (see `appendAtKnownVersions`).
 */
function eventRows<Write extends PlacedWrite>(
  writes: readonly Write[],
  param: (value: unknown) => string,
  version: (write: Write, index: number) => string,
): string[] {
  // The row's place in the statement is our own integer, and part of the shape, so it goes in as a literal.
  // Every event id is minted here from 122 random bits, never taken from a caller, so the log needs no index on it.
  let ordinal = 0;
  return writes.flatMap((placed) =>
    placed.write.events.map(
      (event, index) =>
        `(${ordinal++}, ${param(randomUUID())}::uuid, ${placed.stream}::text, ${version(placed, index)}, ` +
        `${param(event.type)}::text, ${param(event.schemaVersion ?? 1)}::int, ${param(JSON.stringify(event.data))}::text::jsonb)`,
    ),
  );
}

/** The idempotency key's row, written only when `condition` holds (the events went in). */
function recordedCte<Result>(options: AppendOptions<Result>, param: (value: unknown) => string, condition: string): string[] {
  const { idempotency } = options;
  if (!idempotency) return [];
  // Not read by the final select: PostgreSQL runs every data-modifying WITH clause regardless.
  return [
    `recorded as (
       insert into command_results (idempotency_key, request_hash, result, last_transaction_id, last_position)
       select ${param(idempotency.key)}, ${param(idempotency.requestHash)}, ${param(JSON.stringify(idempotency.result ?? null))}::text::jsonb,
         last_inserted.transaction_id, last_inserted.global_position
       from (select) as one_row left join last_inserted on true
       where ${condition}
       returning idempotency_key)`,
  ];
}

const finalSelect = `
  select last_inserted.global_position::text as position, last_inserted.transaction_id::text as "transactionId"
  from (select) as one_row left join last_inserted on true`;

/**
 * Every stream's expected version is known (a number, or `no_stream`), so nothing needs reading: each event
 * goes in at its version, and the unique (stream_id, stream_version) constraint refuses it if the stream has
 * moved on. Only a stream that is *shorter* than expected could slip through (its next version is free), so
 * for an expected version N > 0 the insert also requires version N to exist: one index probe. This is the
 * path of every command and of most appends, and it costs little more than a plain INSERT.
 *
 * The statement's text depends only on the append's shape: how many streams, how many events each, which of
 * them start new (a no_stream or 0 write has no version to check, and its events are 1, 2, …), and whether a
 * key is recorded. Every expected version goes in as a parameter (`$n::int + k` for the k-th event, and
 * the same `$n` in the check), so an append to a stream at version 41 and one at version 42 are the same
 * statement. postgres.js prepares each distinct text once per connection and keeps it for the
 * connection's life (so does the backend, with its plan); with the versions written in as literals every
 * append to an existing stream was new text, parsed and planned afresh (planning took longer than executing)
 * and then kept, so the web server's and the backends' memory grew with every command, and such appends ran
 * at about 40% of a plain INSERT. A shop has a handful of shapes (one per kind of command), so each
 * connection holds a handful of statements. See docs/event-store.md.
 */
async function appendAtKnownVersions<Result>(
  db: SqlExecutor,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendResult> {
  const { values, param } = parameters();
  const expectedOf = (write: StreamAppend) => (write.expectedVersion === 'no_stream' ? 0 : (write.expectedVersion as number));
  const placed = writes.map((write) => ({
    write,
    stream: param(write.streamId),
    expected: expectedOf(write) > 0 ? `${param(expectedOf(write))}::int` : null,
  }));
  const rows = eventRows(placed, param, ({ expected }, index) => (expected ? `${expected} + ${index + 1}` : `${index + 1}`));
  const present = placed.flatMap(({ stream, expected }) =>
    expected ? [`exists (select from events where stream_id = ${stream}::text and stream_version = ${expected})`] : [],
  );
  const insert = `
    insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
    select incoming.event_id, incoming.stream_id, incoming.stream_version, incoming.event_type,
      incoming.schema_version, incoming.data, ${param(JSON.stringify(options.metadata))}::text::jsonb
    from (values ${rows.join(', ')})
      as incoming (ordinal, event_id, stream_id, stream_version, event_type, schema_version, data)
    ${present.length > 0 ? `where ${present.join(' and ')}` : ''}
    order by incoming.ordinal`;
  // Without a key to record, the bare INSERT: wrapped in a CTE for the key's sake it measured 10–20% slower.
  // Positions are assigned in row order, so the last row returned is the last event.
  const [result] = options.idempotency
    ? await db.query<{ position: string | null; transactionId: string | null }>(
        `with inserted as (${insert} returning global_position, transaction_id),
         last_inserted as (
           select global_position, transaction_id from inserted order by global_position desc limit 1),
         ${recordedCte(options, param, 'last_inserted.global_position is not null').join(', ')}
         ${finalSelect}`,
        values,
      )
    : (
        await db.query<{ position: string; transactionId: string }>(
          `${insert} returning global_position::text as position, transaction_id::text as "transactionId"`,
          values,
        )
      ).slice(-1);
  if (result?.position == null || result.transactionId == null) {
    // Nothing went in: some stream is shorter than expected. Read the versions to say which.
    const found = await currentVersions(db, writes.map((write) => write.streamId));
    const short = writes.find((write) => (found.get(write.streamId) ?? 0) !== expectedOf(write)) ?? writes[0]!;
    throw new ConcurrencyError(short.streamId, short.expectedVersion, found.get(short.streamId) ?? 0);
  }
  const versions = Object.fromEntries(writes.map((write) => [write.streamId, expectedOf(write) + write.events.length]));
  return { versions, last: { transactionId: Number(result.transactionId), position: Number(result.position) } };
}

async function currentVersions(db: SqlExecutor, streamIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ streamId: string; version: number }>(
    `select stream_id as "streamId", max(stream_version)::int as version from events
     where stream_id in (${streamIds.map((_, index) => `$${index + 1}`).join(', ')}) group by stream_id`,
    streamIds,
  );
  return new Map(rows.map((row) => [row.streamId, Number(row.version)]));
}

/**
 * Some stream accepts `any` version (or a write has no events): a CTE reads each stream's current version,
 * the events go in after it only if every expected version matches, and the versions read come back so a
 * mismatch can say what was found. Two writers that read the same version still collide on the unique
 * (stream_id, stream_version) constraint.
 */
async function appendAfterReadingVersions<Result>(
  db: SqlExecutor,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendResult> {
  const { values: params, param } = parameters();
  // 'any' is null: no check. 'no_stream' is 0, the version of a stream with no events.
  const placed = writes.map((write) => ({ write, stream: param(write.streamId) }));
  const expected = placed.map(
    ({ write, stream }) =>
      `(${stream}::text, ${param(typeof write.expectedVersion === 'number' ? write.expectedVersion : write.expectedVersion === 'no_stream' ? 0 : null)}::int)`,
  );
  // Versions are read here, so a row carries only its offset in its write: shape, not data.
  const rows = eventRows(placed, param, (_write, index) => `${index + 1}`);
  const ctes = [
    expected.length === 0
      ? 'current_versions as (select null::text as stream_id, null::int as expected_version, 0 as version where false)'
      : `current_versions as materialized (
          select expected.stream_id, expected.expected_version,
            coalesce((select max(stream_version) from events where events.stream_id = expected.stream_id), 0) as version
          from (values ${expected.join(', ')}) as expected (stream_id, expected_version))`,
    `mismatch as (
       select exists (
         select from current_versions where expected_version is not null and expected_version <> version) as found)`,
    rows.length === 0
      ? 'last_inserted as (select null::bigint as global_position, null::xid8 as transaction_id where false)'
      : `inserted as (
           insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
           select incoming.event_id, incoming.stream_id, current_versions.version + incoming.offset_in_write,
             incoming.event_type, incoming.schema_version, incoming.data, ${param(JSON.stringify(options.metadata))}::text::jsonb
           from (values ${rows.join(', ')})
             as incoming (ordinal, event_id, stream_id, offset_in_write, event_type, schema_version, data)
           join current_versions using (stream_id)
           where not (select found from mismatch)
           order by incoming.ordinal
           returning global_position, transaction_id),
         last_inserted as (
           select global_position, transaction_id from inserted order by global_position desc limit 1)`,
  ];
  ctes.push(...recordedCte(options, param, 'not (select found from mismatch)'));
  const [result] = await db.query<OneStatementResult>(
    `with ${ctes.join(',\n')}
     select (select json_agg(json_build_array(stream_id, version)) from current_versions) as versions,
       last_inserted.global_position::text as position, last_inserted.transaction_id::text as "transactionId"
     from (select) as one_row left join last_inserted on true`,
    params,
  );
  const found = new Map(parseVersions(result?.versions));
  const versions: Record<string, number> = {};
  for (const write of writes) {
    const version = found.get(write.streamId) ?? 0;
    if (!matches(write.expectedVersion, version)) {
      throw new ConcurrencyError(write.streamId, write.expectedVersion, version);
    }
    versions[write.streamId] = version + write.events.length;
  }
  const last =
    result?.position != null && result.transactionId != null
      ? { transactionId: Number(result.transactionId), position: Number(result.position) }
      : null;
  return { versions, last };
}

type OneStatementResult = { versions: unknown; position: string | null; transactionId: string | null };

/** json_agg comes back parsed from postgres.js and PGlite alike, but be strict about its shape. */
function parseVersions(value: unknown): [string, number][] {
  const pairs = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(pairs)) return [];
  return pairs.map((pair) => {
    const [streamId, version] = pair as [string, number];
    return [streamId, Number(version)];
  });
}

function matches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  return expected === actual;
}

function assertDistinctStreams(writes: readonly StreamAppend[]): void {
  const ids = new Set(writes.map((write) => write.streamId));
  if (ids.size !== writes.length) throw new Error('Each stream may appear only once in an append.');
}

function isDuplicateKey(error: unknown): boolean {
  const { code, constraint } = databaseError(error);
  return code === '23505' && constraint === 'command_results_pkey';
}

const streamVersionConflict = /\(stream_id, stream_version\)=\((.+), \d+\)/;

/**
 * A unique violation on (stream_id, stream_version) means a concurrent writer got there first. A deadlock or
 * serialization failure is the same story told by PostgreSQL's lock manager: someone else won, try again.
 */
function asConcurrencyError(error: unknown, writes: readonly StreamAppend[]): ConcurrencyError | null {
  const { code, constraint, detail } = databaseError(error);
  if (code === '40P01' || code === '40001') {
    return new ConcurrencyError(writes[0]?.streamId ?? 'unknown', writes[0]?.expectedVersion ?? 'any', null);
  }
  if (code !== '23505' || constraint !== 'events_stream_version_unique') return null;
  const streamId = streamVersionConflict.exec(detail ?? '')?.[1] ?? writes[0]?.streamId ?? 'unknown';
  const write = writes.find((candidate) => candidate.streamId === streamId);
  return new ConcurrencyError(streamId, write?.expectedVersion ?? 'any', null);
}
