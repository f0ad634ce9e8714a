import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRollbackError } from 'drizzle-orm';
import type { Orm } from '../client';
import { advanceCheckpoint, compareLogPositions, logStart, type EventStore, type ReadAllResult, type StoredEvent } from '../event-store';
import type { Consumer, EventShape, ExternalBatch, ExternalConsumer, TransactionalConsumer } from './consumer';

/** What a consumer's batches read from and write their checkpoints to. */
export type ConsumerSource = { readonly orm: Orm; readonly store: EventStore };

export type BatchOptions = {
  /** Events read per batch, at most (the consumer's own `maxBatchSize` may lower it). */
  readonly batchSize: number;
  /** Artificial pause before each batch that found events (demos and the end-to-end suite); 0 normally. */
  readonly delayMs?: number;
};

/**
 * What one batch found: how many events it read past, and whether committed events wait above the horizon;
 * `replayedFromStart` says why, when an external consumer sent its checkpoint back to the start of the log.
 */
export type BatchResult = { readonly read: number; readonly heldBack: boolean; readonly replayedFromStart?: string };

/** A consumer's batch size under the engine's options. */
export function batchSizeOf(consumer: Consumer, options: BatchOptions): number {
  return Math.min(options.batchSize, consumer.maxBatchSize ?? options.batchSize);
}

/**
 * Reads and applies a consumer's batches, one `next()` at a time. Each batch is read after the consumer's
 * checkpoint, applied, and the checkpoint moved past it: for a transactional consumer in the batch's own
 * transaction, for an external one after the outside system acknowledged.
 *
 * While a full batch is applied, the next one is already being read (a backlog or a rebuild: more is
 * waiting), so PostgreSQL reads and Node parses one batch while the other is applied; one after the other,
 * each side idled half the time. The batch read ahead starts at the checkpoint the current batch will write,
 * so if that batch's checkpoint does not move (it failed, or another instance was first) it is dropped.
 */
export function consumerBatches(source: ConsumerSource, consumer: Consumer, options: BatchOptions) {
  const { store } = source;
  const batchSize = batchSizeOf(consumer, options);
  const read = (after: ReadAllResult['checkpoint'] | { checkpointOf: string }) =>
    store.readAll({ after, limit: batchSize, types: consumer.handles });
  let ahead: Promise<ReadAllResult> | null = null;
  return {
    /**
     * Reads and applies the next batch: how many events it read (0 when caught up), and `heldBack`. `failures`
     * is how many batches in a row failed before this one (the engine's count), told to an external consumer.
     */
    async next(failures = 0): Promise<BatchResult> {
      // Taken before awaiting: a read-ahead that failed must not be awaited again on the next call.
      const pending = ahead;
      ahead = null;
      // The checkpoint and the events after it in one statement, outside any write transaction, so the
      // batch's transaction is open only while it writes (docs/event-store.md).
      const page = await (pending ?? read({ checkpointOf: consumer.name }));
      if (page.read === 0) {
        await (consumer.kind === 'external' ? consumer.whenCaughtUp?.() : undefined);
        return { read: 0, heldBack: page.heldBack };
      }
      const backlog = page.read === batchSize;
      const next = backlog ? read(page.checkpoint) : null;
      // Awaited by the next call; if this batch fails first, nobody will, so keep it from going unhandled.
      next?.catch(() => {});
      if (options.delayMs) await sleep(options.delayMs);
      const fromStart = compareLogPositions(page.from, logStart) === 0;
      const moved =
        consumer.kind === 'transactional'
          ? await applyInTransaction(source.orm, consumer, page)
          : await applyExternally(source.orm, consumer, page, { backlog, failures, fromStart });
      if (moved === true) ahead = next;
      if (typeof moved === 'string') return { read: 0, heldBack: page.heldBack, replayedFromStart: moved };
      return { read: page.read, heldBack: page.heldBack };
    },
  };
}

/**
 * The one place where stored events become a consumer's typed events. The log's rows of these types were
 * appended by the domain's deciders through the command path, so they have the shapes the union declares.
 */
function handled<Events>(page: ReadAllResult): Events {
  return page.events as StoredEvent[] as Events;
}

/** Applies a page and moves the checkpoint past it in one transaction; false when another instance was first. */
async function applyInTransaction(
  orm: Orm,
  consumer: TransactionalConsumer<EventShape, string>,
  page: ReadAllResult,
): Promise<boolean> {
  const { from, checkpoint } = page;
  // Nothing to apply: the checkpoint moves past the events in one statement, without a transaction. It moves
  // past every event read, handled or not, so it can be compared with any token.
  if (page.events.length === 0) return advanceCheckpoint(orm, consumer.name, from, checkpoint, page.read);
  return orm
    .transaction(async (tx) => {
      await consumer.applyBatch(tx, handled(page));
      // Another instance applied this batch first: roll ours back; the next round reads afresh.
      if (!(await advanceCheckpoint(tx, consumer.name, from, checkpoint, page.read))) tx.rollback();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
}

/**
 * Applies a page to the outside system, then moves the checkpoint, with whatever the batch asks to record
 * beside it. A crash between the two repeats the batch, which the consumer's idempotent write absorbs; a
 * second instance that applied the same batch loses the checkpoint race and records nothing.
 *
 * A consumer whose outside system lost its state asks for a replay instead: the checkpoint goes back to the
 * start of the log (only from where this batch started, so an instance that moved it meanwhile wins), and the
 * reason comes back in place of `true`. Its next batch reads from the start.
 */
async function applyExternally(
  orm: Orm,
  consumer: ExternalConsumer<EventShape, string>,
  page: ReadAllResult,
  batch: ExternalBatch,
): Promise<boolean | string> {
  const { from, checkpoint } = page;
  const outcome = page.events.length > 0 ? await consumer.applyBatch(handled(page), batch) : undefined;
  if (outcome?.replayFromStart) {
    // Moved "forward" to the start, guarded by where the batch began, like any other move of the checkpoint.
    return (await advanceCheckpoint(orm, consumer.name, from, logStart)) ? outcome.replayFromStart : false;
  }
  const record = outcome?.recordWithCheckpoint;
  if (!record) return advanceCheckpoint(orm, consumer.name, from, checkpoint, page.read);
  return orm
    .transaction(async (tx) => {
      await record(tx);
      if (!(await advanceCheckpoint(tx, consumer.name, from, checkpoint, page.read))) tx.rollback();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
}
