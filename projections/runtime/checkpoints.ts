import { eq, sql } from 'drizzle-orm';
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

export async function writeCheckpoint(tx: ProjectionTx, projection: string, at: LogPosition): Promise<void> {
  await tx
    .update(projectionCheckpoints)
    .set({ transactionId: at.transactionId, position: at.position, updatedAt: sql`now()` })
    .where(eq(projectionCheckpoints.projection, projection));
}

/**
 * Runs a read-model query in one read-only REPEATABLE READ transaction, so its checkpoint and its rows come
 * from the same snapshot. Without it, a batch committing between two statements could show a page an order's
 * new timeline beside its old status, under a checkpoint that claims neither.
 */
export function readSnapshot<T>(db: Orm, read: (tx: ProjectionTx) => Promise<T>): Promise<T> {
  return db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}
