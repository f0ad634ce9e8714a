import { and, eq, sql } from 'drizzle-orm';
import { encodeToken, logStart, type LogPosition } from '@/common/log-position';
import type { Orm, OrmTx } from '../client';
import { consumerCheckpoints } from '../schema/event-store';

/**
 * Where each consumer of the log has read up to, beside the reader that continues from it (`readAll` with
 * `checkpointOf` reads a checkpoint and the events after it in one statement). The consumer engine
 * (db/consumers) is the only writer; read-model queries read a checkpoint to return it with their rows.
 */

type Executor = Orm | OrmTx;

/** Where a consumer has read up to; the start of the log when it has never run. */
export async function readCheckpoint(db: Executor, consumer: string): Promise<LogPosition> {
  const [row] = await db
    .select({ transactionId: consumerCheckpoints.transactionId, position: consumerCheckpoints.position })
    .from(consumerCheckpoints)
    .where(eq(consumerCheckpoints.consumer, consumer));
  return row ?? logStart;
}

/** The checkpoint as a consistency token, returned by every read-model query. */
export async function readCheckpointToken(db: Executor, consumer: string): Promise<string> {
  return encodeToken(await readCheckpoint(db, consumer));
}

/** Creates the consumer's checkpoint row at the start of the log if it has none. */
export async function ensureCheckpoint(db: Executor, consumer: string): Promise<void> {
  await db
    .insert(consumerCheckpoints)
    .values({ consumer, ...logStart })
    .onConflictDoNothing();
}

/**
 * Moves the checkpoint from `from` to `to` if it is still at `from`, and says whether it did. This is the
 * guard that lets several instances run one consumer: each may apply a batch, but only the first to commit
 * finds its `from` in place; the other rolls its whole transaction back (or, for an external consumer, has
 * repeated an idempotent write). Under READ COMMITTED the second waits on the first's row lock and then
 * re-checks the condition against the committed row.
 *
 * Leases (db/consumers/leases.ts) make that second instance rare, not impossible: a holder stalled past its
 * lease (a GC pause, a suspended VM) may wake mid-batch after another took over. This guard is what keeps its
 * late batch from applying twice, so it stays however the work is shared.
 *
 * The guard comes last rather than as a lock taken first: a lock (SELECT … FOR UPDATE) gives the batch's
 * transaction an id from its first statement, and the log's readers wait for every transaction with an id
 * (docs/event-store.md), so each consumer's batch would hold back every other consumer's reads for as long
 * as it runs. Taken last, the id is held only for the batch's writes.
 */
export async function advanceCheckpoint(
  db: Executor,
  consumer: string,
  from: LogPosition,
  to: LogPosition,
  /** The events between `from` and `to`, added to the consumer's read count (its throughput's counter). */
  read = 0,
): Promise<boolean> {
  const moved = await db
    .update(consumerCheckpoints)
    .set({
      transactionId: to.transactionId,
      position: to.position,
      updatedAt: sql`now()`,
      eventsRead: sql`${consumerCheckpoints.eventsRead} + ${read}`,
    })
    .where(
      and(
        eq(consumerCheckpoints.consumer, consumer),
        eq(consumerCheckpoints.transactionId, from.transactionId),
        eq(consumerCheckpoints.position, from.position),
      ),
    )
    .returning({ consumer: consumerCheckpoints.consumer });
  return moved.length > 0;
}

/**
 * Moves the checkpoint back to the start of the log, so the consumer reads everything again. Inside `tx`,
 * after the consumer's own state has been cleared in the same transaction: the row lock is taken after the
 * consumer's tables' locks, in the order a batch takes them, so a reset waits for a running batch instead of
 * deadlocking with it.
 */
export async function rewindCheckpoint(tx: OrmTx, consumer: string): Promise<void> {
  await tx
    .update(consumerCheckpoints)
    .set({ ...logStart, updatedAt: sql`now()` })
    .where(eq(consumerCheckpoints.consumer, consumer));
}

/** Records that a batch failed; `failingSince` keeps the first failure of a run of them, `failedAttempts` counts them. */
export async function recordConsumerFailure(db: Executor, consumer: string, error: string): Promise<void> {
  await db
    .update(consumerCheckpoints)
    .set({
      lastError: error,
      lastErrorAt: sql`now()`,
      failingSince: sql`coalesce(${consumerCheckpoints.failingSince}, now())`,
      failedAttempts: sql`${consumerCheckpoints.failedAttempts} + 1`,
    })
    .where(eq(consumerCheckpoints.consumer, consumer));
}

/** Records that a consumer recovered: its last error stays, for the record; the run of failures is over. */
export async function recordConsumerRecovery(db: Executor, consumer: string): Promise<void> {
  await db.update(consumerCheckpoints).set({ failingSince: null, failedAttempts: 0 }).where(eq(consumerCheckpoints.consumer, consumer));
}
