import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Sql, TransactionSql } from '../client';
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
  sql: Sql,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendOutcome<Result>> {
  assertDistinctStreams(writes);
  // Streams are written in one global order (by id), so two transactions that touch the same streams wait
  // for each other instead of deadlocking on each other's new rows.
  const ordered = [...writes].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  try {
    return await sql.begin((tx) => appendInTransaction(tx, ordered, options));
  } catch (error) {
    throw asConcurrencyError(error, writes) ?? error;
  }
}

async function appendInTransaction<Result>(
  tx: TransactionSql,
  writes: readonly StreamAppend[],
  options: AppendOptions<Result>,
): Promise<AppendOutcome<Result>> {
  const { idempotency } = options;
  if (idempotency) {
    // Claiming the key first serialises duplicates: a second transaction with the same key blocks here until
    // the first commits (then finds its result) or rolls back (then claims the key itself).
    const claimed = await tx`
      insert into command_results (idempotency_key, request_hash, result)
      values (${idempotency.key}, ${idempotency.requestHash}, 'null'::jsonb)
      on conflict do nothing
      returning idempotency_key`;
    if (claimed.length === 0) {
      const [previous] = await tx<{ requestHash: string; result: Result }[]>`
        select request_hash as "requestHash", result from command_results
        where idempotency_key = ${idempotency.key}`;
      if (!previous || previous.requestHash !== idempotency.requestHash) {
        throw new IdempotencyKeyReusedError(idempotency.key);
      }
      return { kind: 'duplicate', result: previous.result };
    }
  }

  const versions: Record<string, number> = {};
  const rows: EventRow[] = [];
  for (const write of writes) {
    const [current] = await tx<{ version: number }[]>`
      select coalesce(max(stream_version), 0)::int as version from events where stream_id = ${write.streamId}`;
    const version = current?.version ?? 0;
    if (!matches(write.expectedVersion, version)) {
      throw new ConcurrencyError(write.streamId, write.expectedVersion, version);
    }
    write.events.forEach((event, index) => {
      rows.push({
        event_id: event.eventId ?? randomUUID(),
        stream_id: write.streamId,
        stream_version: version + index + 1,
        event_type: event.type,
        schema_version: event.schemaVersion ?? 1,
        data: tx.json(event.data as postgres.JSONValue),
        metadata: tx.json(options.metadata),
      });
    });
    versions[write.streamId] = version + write.events.length;
  }

  let last: AppendResult['last'] = null;
  if (rows.length > 0) {
    // Positions are assigned in row order, so the last row returned holds the highest position.
    const inserted = await tx<{ position: string; transactionId: string }[]>`
      insert into events ${tx(rows)}
      returning global_position::text as position, transaction_id::text as "transactionId"`;
    const tail = inserted.at(-1);
    if (tail) last = { transactionId: Number(tail.transactionId), position: Number(tail.position) };
    // Delivered at commit, and only if the transaction commits: it wakes projectors immediately.
    await tx`select pg_notify(${eventsChannel}, '')`;
  }

  const appended: AppendResult = { versions, last };
  if (!idempotency) return { kind: 'appended', appended, result: undefined as Result };
  const result = idempotency.result(appended);
  await tx`
    update command_results set result = ${tx.json(result as postgres.JSONValue)}
    where idempotency_key = ${idempotency.key}`;
  return { kind: 'appended', appended, result };
}

type EventRow = {
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  data: postgres.Parameter;
  metadata: postgres.Parameter;
};

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
  if (!(error instanceof Error) || !('code' in error)) return null;
  if (error.code === '40P01' || error.code === '40001') {
    return new ConcurrencyError(writes[0]?.streamId ?? 'unknown', writes[0]?.expectedVersion ?? 'any', null);
  }
  if (error.code !== '23505') return null;
  if (!('constraint_name' in error) || error.constraint_name !== 'events_stream_version_unique') return null;
  const detail = 'detail' in error && typeof error.detail === 'string' ? error.detail : '';
  const streamId = streamVersionConflict.exec(detail)?.[1] ?? writes[0]?.streamId ?? 'unknown';
  const write = writes.find((candidate) => candidate.streamId === streamId);
  return new ConcurrencyError(streamId, write?.expectedVersion ?? 'any', null);
}
