import { setTimeout as sleep } from 'node:timers/promises';
import type { Orm } from '@/db/client';
import { compareLogPositions, encodeToken, hasReached, type EventStore } from '@/db/event-store';
import { projectionCheckpoints } from '@/db/schema/event-store';
import { eq, sql } from 'drizzle-orm';
import { ensureCheckpoint, lockCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoints';
import type { Projection, ShopStoredEvent } from './projection';

export type BatchOptions = {
  readonly batchSize: number;
  /** Artificial pause before each batch (demos and the end-to-end suite); 0 in normal use. */
  readonly delayMs?: number;
};

/**
 * Reads the next batch after the projection's checkpoint and applies it: the read-model writes and the new
 * checkpoint commit in one transaction, so a crash at any point leaves both as they were before the batch
 * or both after it. An event is therefore applied exactly once, however often the process restarts.
 *
 * Returns how many events the batch read (0 when the projection is caught up).
 */
export async function projectBatch(
  orm: Orm,
  store: EventStore,
  projection: Projection,
  options: BatchOptions,
): Promise<number> {
  const from = await readCheckpoint(orm, projection.name);
  // Read outside the write transaction: a transaction that has written (and so holds a transaction id)
  // would hold back the reader's horizon on itself. See docs/event-store.md.
  const page = await store.readAll({ after: from, limit: options.batchSize });
  if (page.events.length === 0) return 0;
  if (options.delayMs) await sleep(options.delayMs);

  await orm.transaction(async (tx) => {
    const locked = await lockCheckpoint(tx, projection.name);
    // Another instance applied this batch while we were reading: leave it; the next round reads afresh.
    if (!locked || compareLogPositions(locked, from) !== 0) return;
    // One call for the whole batch, so a projection can apply it set-wise (docs/projections.md).
    const handled = page.events.filter((event) => projection.handles.has(event.type)) as ShopStoredEvent[];
    if (handled.length > 0) await projection.applyBatch(tx, handled);
    // The checkpoint moves past every event read, handled or not, so it can be compared with any token.
    await writeCheckpoint(tx, projection.name, page.checkpoint);
  });
  return page.events.length;
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
    const read = await projectBatch(orm, store, projection, options);
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
