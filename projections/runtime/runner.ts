import { setTimeout as sleep } from 'node:timers/promises';
import type { Orm } from '@/db/client';
import { encodeToken, hasReached, type EventStore, type ReadAllResult } from '@/db/event-store';
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
 * Applies a projection batch by batch. Each batch is read after the projection's checkpoint and applied: the
 * read-model writes and the new checkpoint commit in one transaction, so a crash at any point leaves both as
 * they were before the batch or both after it. An event is therefore applied exactly once, however often the
 * process restarts, and however many projector instances run (see `advanceCheckpoint`).
 *
 * While a full batch is applied, the next one is already being read (a backlog or a rebuild: more is
 * waiting). Node folds and PostgreSQL writes one batch while PostgreSQL reads and Node parses the next, so
 * both cores work; applied one after the other, each idled half the time. The batch read ahead starts at
 * the checkpoint the current batch will write, so if that batch does not commit it is dropped unapplied.
 */
export function batcher(orm: Orm, store: EventStore, projection: Projection, options: BatchOptions) {
  let ahead: Promise<ReadAllResult> | null = null;
  return {
    /** Reads and applies the next batch: how many events it read (0 when caught up), and `heldBack`. */
    async next(): Promise<BatchResult> {
      // The checkpoint and the events after it in one statement, outside the write transaction: a
      // transaction that has written (and so holds a transaction id) would hold back the reader's horizon on
      // itself. See docs/event-store.md.
      // Taken before awaiting: a read-ahead that failed must not be awaited again on the next call.
      const pending = ahead;
      ahead = null;
      // Only the projection's own event types are delivered: the rest are read past, not sent.
      const types = projection.handles;
      const page = await (pending ?? store.readAll({ after: { checkpointOf: projection.name }, limit: options.batchSize, types }));
      if (page.read === 0) return { read: 0, heldBack: page.heldBack };
      let next: Promise<ReadAllResult> | null = null;
      if (page.read === options.batchSize) {
        next = store.readAll({ after: page.checkpoint, limit: options.batchSize, types });
        // Awaited by the next call; if this batch fails first, nobody will, so keep it from going unhandled.
        next.catch(() => {});
      }
      if (await applyPage(orm, projection, page, options)) ahead = next;
      return { read: page.read, heldBack: page.heldBack };
    },
  };
}

/** Applies one page and moves the checkpoint past it; false when another instance had moved it first. */
async function applyPage(orm: Orm, projection: Projection, page: ReadAllResult, options: BatchOptions): Promise<boolean> {
  if (options.delayMs) await sleep(options.delayMs);
  const { from } = page;
  // The page holds only the projection's own event types (`types` in `next`).
  const handled = page.events as ShopStoredEvent[];
  // Nothing to write: the checkpoint moves past the events in one statement, without a transaction. It
  // moves past every event read, handled or not, so it can be compared with any token.
  if (handled.length === 0) return advanceCheckpoint(orm, projection.name, from, page.checkpoint);
  return orm
    .transaction(async (tx) => {
      // One call for the whole batch, so a projection can apply it set-wise (docs/projections.md).
      await projection.applyBatch(tx, handled);
      // Another instance applied this batch first: roll ours back; the next round reads afresh.
      if (!(await advanceCheckpoint(tx, projection.name, from, page.checkpoint))) tx.rollback();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
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
  const batches = batcher(orm, store, projection, options);
  for (;;) {
    const { read } = await batches.next();
    total += read;
    if (read > 0) continue;
    if (!head || hasReached(await readCheckpoint(orm, projection.name), head)) return total;
    if (Date.now() > deadline) {
      throw new Error(`${projection.name} could not reach ${encodeToken(head)}: a long transaction holds the log's horizon.`);
    }
    await sleep(10);
  }
}

/**
 * Empties the read model and moves its checkpoint back to the start of the log, in one transaction.
 *
 * TRUNCATE, not DELETE: a DELETE leaves every old row behind as a dead tuple, in the heap and in each index,
 * for the rebuild that follows to step over until a vacuum runs; TRUNCATE starts it on empty files. Its
 * exclusive lock is taken before the checkpoint's, in the order a batch takes them (tables, then the
 * checkpoint), so a reset waits for a running batch instead of deadlocking with it; page queries wait for
 * the reset. TRUNCATE is not MVCC-safe: a page whose snapshot began before the reset committed may find the
 * tables empty beside the old checkpoint. A reset is an operator's step; the pages show an empty read model
 * either way until it has caught up again.
 */
export async function resetProjection(orm: Orm, projection: Projection): Promise<void> {
  await ensureCheckpoint(orm, projection.name);
  await orm.transaction(async (tx) => {
    await tx.execute(sql`truncate ${sql.join(projection.tables.map((table) => sql`${table}`), sql`, `)}`);
    await lockCheckpoint(tx, projection.name);
    await tx
      .update(projectionCheckpoints)
      .set({ transactionId: 0, position: 0, updatedAt: sql`now()` })
      .where(eq(projectionCheckpoints.projection, projection.name));
  });
}
