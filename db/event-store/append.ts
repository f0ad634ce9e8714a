import { randomUUID } from 'node:crypto';
import { databaseError, type SqlClient, type SqlExecutor } from '../sql';
import { ConcurrencyError, IdempotencyKeyReusedError } from './errors';
import type { AppendOptions, AppendOutcome, AppendResult, ExpectedVersion, StreamAppend } from './types';

export const eventsChannel = 'hindsight_events';

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
    // Delivered at commit, and only if the transaction commits: it wakes projectors immediately.
    await tx.query(`select pg_notify($1, '')`, [eventsChannel]);
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
