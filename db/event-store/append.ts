import { randomUUID } from 'node:crypto';
import { databaseError, type SqlClient, type SqlExecutor } from '../sql';
import { ConcurrencyError, IdempotencyKeyReusedError } from './errors';
import type { AppendOptions, AppendOutcome, AppendResult, ExpectedVersion, StreamAppend } from './types';

export const eventsChannel = 'hindsight_events';

/**
 * Wakes the projectors after appends, outside the appending transactions. A NOTIFY inside a transaction
 * makes PostgreSQL serialise the commits of all notifying transactions (they share one queue lock), which
 * capped concurrent appends far below a plain INSERT. Sent after the commit instead, and coalesced (appends
 * that commit while a NOTIFY is in flight share the next one), it costs one short statement per burst. If a
 * process dies between its commit and its NOTIFY, the projectors' poll interval picks the events up.
 */
export function coalescedNotifier(db: SqlClient, onFailure: (error: unknown) => void): () => void {
  let inFlight = false;
  let again = false;
  const send = async () => {
    inFlight = true;
    do {
      again = false;
      try {
        await db.query(`select pg_notify($1, '')`, [eventsChannel]);
      } catch (error) {
        onFailure(error);
      }
    } while (again);
    inFlight = false;
  };
  return () => {
    if (inFlight) again = true;
    else void send();
  };
}

/**
 * Appends to one or more streams in a single transaction: all of it is written, or none.
 *
 * Concurrency: each stream's current version is read and checked against the expected version, and the new
 * events take the versions after it. Two writers that read the same version both try to insert the same
 * (stream_id, stream_version); the unique constraint lets the first commit and fails the second, which
 * becomes a ConcurrencyError. No lock is held between reading and deciding, so readers never wait.
 */
export async function appendToStreams<Result>(
  db: SqlClient,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendOutcome<Result>> {
  assertDistinctStreams(writes);
  // Streams are written in one global order (by id), so two transactions that touch the same streams wait
  // for each other instead of deadlocking on each other's new rows.
  const ordered = [...writes].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  try {
    // Without an idempotency key there is nothing to do between reading and writing, so the whole append is
    // one autocommit statement: one round trip instead of begin, read, insert, notify, commit.
    if (!options.idempotency) return await appendInOneStatement(db, ordered, options.metadata);
    return await db.transaction((tx) => appendInTransaction(tx, ordered, options));
  } catch (error) {
    throw asConcurrencyError(error, writes) ?? error;
  }
}

async function appendInTransaction<Result>(
  tx: SqlExecutor,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendOutcome<Result>> {
  const { idempotency } = options;
  if (idempotency) {
    // Claiming the key first serialises duplicates: a second transaction with the same key blocks here until
    // the first commits (then finds its result) or rolls back (then claims the key itself).
    const claimed = await tx.query(
      `insert into command_results (idempotency_key, request_hash, result) values ($1, $2, 'null'::jsonb)
       on conflict do nothing returning idempotency_key`,
      [idempotency.key, idempotency.requestHash],
    );
    if (claimed.length === 0) {
      const [previous] = await tx.query<{ requestHash: string; result: Result }>(
        `select request_hash as "requestHash", result from command_results where idempotency_key = $1`,
        [idempotency.key],
      );
      if (!previous || previous.requestHash !== idempotency.requestHash) {
        throw new IdempotencyKeyReusedError(idempotency.key);
      }
      return { kind: 'duplicate', result: previous.result };
    }
  }

  const versions: Record<string, number> = {};
  const rows: unknown[][] = [];
  for (const write of writes) {
    const [current] = await tx.query<{ version: number }>(
      'select coalesce(max(stream_version), 0)::int as version from events where stream_id = $1',
      [write.streamId],
    );
    const version = current?.version ?? 0;
    if (!matches(write.expectedVersion, version)) {
      throw new ConcurrencyError(write.streamId, write.expectedVersion, version);
    }
    write.events.forEach((event, index) => {
      rows.push([
        event.eventId ?? randomUUID(),
        write.streamId,
        version + index + 1,
        event.type,
        event.schemaVersion ?? 1,
        JSON.stringify(event.data),
        JSON.stringify(options.metadata),
      ]);
    });
    versions[write.streamId] = version + write.events.length;
  }

  let last: AppendResult['last'] = null;
  if (rows.length > 0) {
    // Positions are assigned in row order, so the last row returned holds the highest position.
    const values = rows.map((_, row) => {
      const n = row * 7;
      return `($${n + 1}::uuid, $${n + 2}, $${n + 3}::int, $${n + 4}, $${n + 5}::int, $${n + 6}::text::jsonb, $${n + 7}::text::jsonb)`;
    });
    const inserted = await tx.query<{ position: string; transactionId: string }>(
      `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
       values ${values.join(', ')}
       returning global_position::text as position, transaction_id::text as "transactionId"`,
      rows.flat(),
    );
    const tail = inserted.at(-1);
    if (tail) last = { transactionId: Number(tail.transactionId), position: Number(tail.position) };
  }

  const appended: AppendResult = { versions, last };
  if (!idempotency) return { kind: 'appended', appended, result: undefined as Result };
  const result = idempotency.result(appended);
  await tx.query('update command_results set result = $1::text::jsonb where idempotency_key = $2', [
    JSON.stringify(result),
    idempotency.key,
  ]);
  return { kind: 'appended', appended, result };
}

/**
 * One statement reads every stream's version and inserts the events only if all of them match.
 * A mismatch inserts nothing (the insert's condition is false for every row), and the versions read come
 * back so the error can say what was found. Two writers that read the same version still collide on the
 * unique (stream_id, stream_version) constraint, exactly as in the transaction. Rows are inserted in the
 * order of `writes` (sorted by stream id), so the deadlock avoidance holds too.
 */
async function appendInOneStatement<Result>(
  db: SqlExecutor,
  writes: readonly StreamAppend[],
  metadata: AppendOptions<Result>['metadata'],
): Promise<AppendOutcome<Result>> {
  const params: unknown[] = [JSON.stringify(metadata)];
  const param = (value: unknown) => `$${params.push(value)}`;
  // 'any' is null: no check. 'no_stream' is 0, the version of a stream with no events.
  const expected = writes.map(
    (write) =>
      `(${param(write.streamId)}::text, ${param(typeof write.expectedVersion === 'number' ? write.expectedVersion : write.expectedVersion === 'no_stream' ? 0 : null)}::int)`,
  );
  // The row's place in the statement and in its write are our own integers, so they go in as literals.
  let ordinal = 0;
  const rows = writes.flatMap((write) =>
    write.events.map(
      (event, index) =>
        `(${ordinal++}, ${param(event.eventId ?? randomUUID())}::uuid, ${param(write.streamId)}::text, ${index + 1}, ` +
        `${param(event.type)}::text, ${param(event.schemaVersion ?? 1)}::int, ${param(JSON.stringify(event.data))}::text::jsonb)`,
    ),
  );
  const current = `current_versions as materialized (
      select expected.stream_id, expected.expected_version,
        coalesce((select max(stream_version) from events where events.stream_id = expected.stream_id), 0) as version
      from (values ${expected.join(', ')}) as expected (stream_id, expected_version))`;
  const [result] =
    rows.length === 0
      ? await db.query<OneStatementResult>(
          `with ${current}
           select json_agg(json_build_array(stream_id, version)) as versions, null as position, null as "transactionId"
           from current_versions`,
          params,
        )
      : await db.query<OneStatementResult>(
          `with ${current},
           inserted as (
             insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
             select incoming.event_id, incoming.stream_id, current_versions.version + incoming.offset_in_write,
               incoming.event_type, incoming.schema_version, incoming.data, $1::text::jsonb
             from (values ${rows.join(', ')})
               as incoming (ordinal, event_id, stream_id, offset_in_write, event_type, schema_version, data)
             join current_versions using (stream_id)
             where not exists (
               select from current_versions
               where expected_version is not null and expected_version <> version)
             order by incoming.ordinal
             returning global_position, transaction_id),
           last_inserted as (
             select global_position, transaction_id from inserted order by global_position desc limit 1)
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
  return { kind: 'appended', appended: { versions, last }, result: undefined as Result };
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
