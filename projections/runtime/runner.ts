import { setTimeout as sleep } from 'node:timers/promises';
import type { Orm } from '@/db/client';
import { encodeToken, hasReached, type EventStore } from '@/db/event-store';
import { projectionCheckpoints } from '@/db/schema/event-store';
import { eq, sql, TransactionRollbackError } from 'drizzle-orm';
import { advanceCheckpoint, ensureCheckpoint, lockCheckpoint, readCheckpoint } from './checkpoints';
import type { Projection, ShopStoredEvent } from './projection';

/** What one batch found: how many events it read, and whether committed events wait above the horizon. */
export type BatchResult = { readonly read: number; readonly heldBack: boolean };

export type BatchOptions = {
  readonly batchSize: number;
  /** Artificial pause before each batch (demos and the end-to-end suite); 0 in normal use. */
  readonly delayMs?: number;
};

/**
 * Reads the next batch after the projection's checkpoint and applies it: the read-model writes and the new
 * checkpoint commit in one transaction, so a crash at any point leaves both as they were before the batch
 * or both after it. An event is therefore applied exactly once, however often the process restarts, and
 * however many projector instances run (see `advanceCheckpoint`).
 *
 * Returns how many events the batch read (0 when the projection is caught up) and whether more committed
 * events wait behind a transaction still running (`ReadAllResult.heldBack`).
 */
export async function projectBatch(
  orm: Orm,
  store: EventStore,
  projection: Projection,
  options: BatchOptions,
): Promise<BatchResult> {
  // The checkpoint and the events after it in one statement, outside the write transaction: a transaction
  // that has written (and so holds a transaction id) would hold back the reader's horizon on itself.
  // See docs/event-store.md.
  const page = await store.readAll({ after: { checkpointOf: projection.name }, limit: options.batchSize });
  const { from, heldBack } = page;
  const result = { read: page.events.length, heldBack };
  if (page.events.length === 0) return result;
  if (options.delayMs) await sleep(options.delayMs);

  const handled = page.events.filter((event) => projection.handles.has(event.type)) as ShopStoredEvent[];
  // Nothing to write: the checkpoint moves past the events in one statement, without a transaction. It
  // moves past every event read, handled or not, so it can be compared with any token.
  if (handled.length === 0) {
    await advanceCheckpoint(orm, projection.name, from, page.checkpoint);
    return result;
  }
  await orm
    .transaction(async (tx) => {
      // One call for the whole batch, so a projection can apply it set-wise (docs/projections.md).
      await projection.applyBatch(tx, handled);
      // Another instance applied this batch first: roll ours back; the next round reads afresh.
      if (!(await advanceCheckpoint(tx, projection.name, from, page.checkpoint))) tx.rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof TransactionRollbackError)) throw error;
    });
  return result;
}

/**
 * Applies batches until the projection has applied every event committed before the call. An empty read
 * is not enough to stop: a transaction still open anywhere on the server holds the reader's horizon back
 * (docs/event-store.md), so it waits until the checkpoint reaches the log's head, or gives up after
 * `timeoutMs` with an error that says why.
 */
export async function catchUp(
  orm: Orm,
  store: EventStore,
  projection: Projection,
  options: BatchOptions & { timeoutMs?: number },
): Promise<number> {
  await ensureCheckpoint(orm, projection.name);
  const head = await store.readHead();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let total = 0;
  for (;;) {
    const { read } = await projectBatch(orm, store, projection, options);
    total += read;
    if (read > 0) continue;
    if (!head || hasReached(await readCheckpoint(orm, projection.name), head)) return total;
    if (Date.now() > deadline) {
      throw new Error(`${projection.name} could not reach ${encodeToken(head)}: a long transaction holds the log's horizon.`);
    }
    await sleep(10);
  }
}

/** Empties the read model and moves its checkpoint back to the start of the log, in one transaction. */
export async function resetProjection(orm: Orm, projection: Projection): Promise<void> {
  await orm.transaction(async (tx) => {
    await ensureCheckpoint(tx, projection.name);
    await lockCheckpoint(tx, projection.name);
    for (const table of projection.tables) await tx.delete(table);
    await tx
      .update(projectionCheckpoints)
      .set({ transactionId: 0, position: 0, updatedAt: sql`now()` })
      .where(eq(projectionCheckpoints.projection, projection.name));
  });
}
