import type { OrmTx } from '../client';
import type { StoredEvent } from '../event-store';

/**
 * A consumer of the event log: a read model, a process manager, a reactor, a relay to a broker. It declares
 * a name (also its checkpoint's key), the event types it handles and how it applies a batch of them; the
 * engine (`./engine.ts`) owns everything else: reading, waking, spacing, retries, checkpoints and the guard
 * that lets several instances run it. docs/projections.md explains the two ways a batch is applied.
 */

/** A union of events, as the domain declares them: a `type` literal and its `data` per member. */
export type EventShape = { readonly type: string; readonly data: object };

/** A stored event of the union `E`, discriminated by `type`, so a switch on `type` narrows `data`. */
export type StoredEventOf<E extends EventShape> = E extends unknown ? StoredEvent<E['type'], E['data']> : never;

/** The stored events of the types `T` of the union `E`: what a consumer that handles `T` receives. */
export type Handled<E extends EventShape, T extends E['type']> = StoredEventOf<Extract<E, { type: T }>>;

type ConsumerBase<T extends string> = {
  /** Unique among consumers. Bump a suffix (`_v2`) when a change needs the log read again from zero. */
  readonly name: string;
  /** The event types delivered; the others are read past without their data, and the checkpoint moves over them. */
  readonly handles: readonly T[];
  /**
   * The least time between the starts of two live batches (default 20 ms). A batch's fixed cost (its
   * transaction and commit; an outside system's request) is then shared by what arrives in the meantime.
   */
  readonly liveBatchSpacingMs?: number;
  /** The most events one batch may read, whatever the engine's batch size (an outside request's size). */
  readonly maxBatchSize?: number;
};

/**
 * Applies its batch inside the PostgreSQL transaction that moves its checkpoint: both commit or neither
 * does, so every event is applied exactly once. For read models, process managers and reactors that record
 * what they did in PostgreSQL.
 */
export type TransactionalConsumer<E extends EventShape, T extends E['type']> = ConsumerBase<T> & {
  readonly kind: 'transactional';
  /**
   * The batch's handled events in log order. The result must equal applying them one by one, and depend on
   * the events alone (no clock), so a rebuild from zero gives the same state.
   */
  // Method syntax on purpose: it lets a consumer of some event types stand in a list of any consumers.
  applyBatch(tx: OrmTx, events: readonly Handled<E, T>[]): Promise<void>;
};

/**
 * Applies its batch to a system outside PostgreSQL (Elasticsearch, a broker, a mail server); the engine
 * moves the checkpoint only after `applyBatch` has resolved, that is, after the system acknowledged. A crash
 * in between applies the batch again, so the write must be idempotent (external versions, message ids).
 */
export type ExternalConsumer<E extends EventShape, T extends E['type']> = ConsumerBase<T> & {
  readonly kind: 'external';
  /**
   * `backlog`: the batch was full, so more is waiting (an outside system may defer work, such as a refresh).
   * `failures`: how many batches in a row failed before this one, so a consumer can give up on a delivery the
   * outside system keeps refusing (and record it as a dead letter) after the engine's retries.
   * `fromStart`: the batch starts at the beginning of the log, so the outside system needs nothing earlier.
   */
  applyBatch(events: readonly Handled<E, T>[], batch: ExternalBatch): Promise<ExternalOutcome>;
  /** Called when a read finds nothing new: the moment to finish work deferred during a backlog. */
  whenCaughtUp?(): Promise<void>;
};

export type ExternalBatch = { readonly backlog: boolean; readonly failures: number; readonly fromStart: boolean };

/**
 * What an external batch asks of the engine. `recordWithCheckpoint`: what to write with its checkpoint, in one
 * transaction (its dead letters). `replayFromStart`: the outside system lost what the checkpoint says it holds
 * (an index deleted, a node that came back empty), so the batch was not applied and the checkpoint goes back to
 * the start of the log; the value says why, for the log.
 */
export type ExternalOutcome =
  | { readonly recordWithCheckpoint?: (tx: OrmTx) => Promise<void>; readonly replayFromStart?: undefined }
  | { readonly replayFromStart: string; readonly recordWithCheckpoint?: undefined }
  | void;

export type Consumer<E extends EventShape = EventShape, T extends E['type'] = E['type']> =
  | TransactionalConsumer<E, T>
  | ExternalConsumer<E, T>;
