import { and, eq, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { projectionCheckpoints } from '@/db/schema/event-store';
import { encodeToken, logStart, type LogPosition } from '@/db/event-store';
import type { ProjectionTx } from './projection';

type Reader = Orm | ProjectionTx;

/** Where a projection has read up to; the start of the log when it has never run. */
export async function readCheckpoint(db: Reader, projection: string): Promise<LogPosition> {
  const [row] = await db
    .select({ transactionId: projectionCheckpoints.transactionId, position: projectionCheckpoints.position })
    .from(projectionCheckpoints)
    .where(eq(projectionCheckpoints.projection, projection));
  return row ?? logStart;
}

/** The checkpoint as a consistency token, returned by every read-model query. */
export async function readCheckpointToken(db: Reader, projection: string): Promise<string> {
  return encodeToken(await readCheckpoint(db, projection));
}

/** Creates the projection's checkpoint row at the start of the log if it has none. */
export async function ensureCheckpoint(db: Reader, projection: string): Promise<void> {
  await db
    .insert(projectionCheckpoints)
    .values({ projection, ...logStart })
    .onConflictDoNothing();
}

/**
 * Locks the checkpoint row for the rest of the transaction. Two projector instances working on the same
 * projection queue here; the second then sees the checkpoint has moved and drops its batch.
 */
export async function lockCheckpoint(tx: ProjectionTx, projection: string): Promise<LogPosition | null> {
  const [row] = await tx
    .select({ transactionId: projectionCheckpoints.transactionId, position: projectionCheckpoints.position })
    .from(projectionCheckpoints)
    .where(eq(projectionCheckpoints.projection, projection))
    .for('update');
  return row ?? null;
}

/**
 * Moves the checkpoint from `from` to `to` if it is still at `from`, and says whether it did. This is the
 * guard against two projector instances applying one batch: both may apply it, but only the first to commit
 * finds its `from` in place; the other rolls its whole transaction back. Under READ COMMITTED the second
 * waits on the first's row lock and then re-checks the condition against the committed row.
 *
 * The guard comes last rather than as a lock taken first: a lock (SELECT … FOR UPDATE) gives the batch's
 * transaction an id from its first statement, and the log's readers wait for every transaction with an id
 * (docs/event-store.md), so each projection's batch would hold back every other projection's reads for as
 * long as it runs. Taken last, the id is held only for the batch's writes.
 */
export async function advanceCheckpoint(
  db: Reader,
  projection: string,
  from: LogPosition,
  to: LogPosition,
): Promise<boolean> {
  const moved = await db
    .update(projectionCheckpoints)
    .set({ transactionId: to.transactionId, position: to.position, updatedAt: sql`now()` })
    .where(
      and(
        eq(projectionCheckpoints.projection, projection),
        eq(projectionCheckpoints.transactionId, from.transactionId),
        eq(projectionCheckpoints.position, from.position),
      ),
    )
    .returning({ projection: projectionCheckpoints.projection });
  return moved.length > 0;
}

/**
 * Runs a read-model query in one read-only REPEATABLE READ transaction, so its checkpoint and its rows come
 * from the same snapshot. Without it, a batch committing between two statements could show a page an order's
 * new timeline beside its old status, under a checkpoint that claims neither.
 */
export function readSnapshot<T>(db: Orm, read: (tx: ProjectionTx) => Promise<T>): Promise<T> {
  return db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}
