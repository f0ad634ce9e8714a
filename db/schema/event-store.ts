import { sql } from 'drizzle-orm';
import {
  bigint,
  customType,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * `xid8` is PostgreSQL's 64-bit, never-wrapping transaction id. Each event stores the id of the transaction
 * that appended it; readers use it to avoid skipping events that commit out of position order
 * (see docs/event-store.md). Values stay below 2^53 for the life of any real cluster, so a JS number is exact.
 */
export const xid8 = customType<{ data: number; driverData: string }>({
  dataType: () => 'xid8',
  fromDriver: (value) => Number(value),
  toDriver: (value) => String(value),
});

/**
 * The append-only event log. No code path updates or deletes a row (a trigger enforces it).
 *
 * Two indexes, each for a reader, and nothing else, because every append pays for every index (two more,
 * which no reader needed, cost 100-event batch appends nearly half their rate; see docs/event-store.md):
 * - the primary key, (transaction id, position): the order the global reader walks the log in. Nothing looks
 *   an event up by position alone; the identity's sequence hands out each position once.
 * - (stream id, stream version), unique: a stream's reads, and optimistic concurrency.
 * `event_id` is minted by the store for every event (a random UUID: unique with overwhelming probability, not
 * enforced) and never looked up, so it has no index.
 */
export const events = pgTable(
  'events',
  {
    globalPosition: bigint('global_position', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    transactionId: xid8('transaction_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    streamId: text('stream_id').notNull(),
    streamVersion: integer('stream_version').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    schemaVersion: integer('schema_version').notNull().default(1),
    data: jsonb('data').notNull(),
    metadata: jsonb('metadata').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'events_pkey', columns: [table.transactionId, table.globalPosition] }),
    unique('events_stream_version_unique').on(table.streamId, table.streamVersion),
  ],
);

/**
 * One row per idempotency key. The row is inserted by the same statement as the command's events, so a key
 * is recorded if and only if its events are; a concurrent duplicate blocks on the key until the first commits.
 * The last event's position is kept beside the result, so a duplicate gets the same consistency token.
 */
export const commandResults = pgTable('command_results', {
  idempotencyKey: text('idempotency_key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  result: jsonb('result').notNull(),
  lastTransactionId: xid8('last_transaction_id'),
  lastPosition: bigint('last_position', { mode: 'number' }),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A cache of a long stream's decided state, so a command reads the snapshot and the events after it instead
 * of the whole stream. Not part of the log: any row may be deleted at any time and is rebuilt by folding.
 * `stateVersion` is the decider's snapshot version; a row of another version is ignored and replaced.
 */
export const streamSnapshots = pgTable('stream_snapshots', {
  streamId: text('stream_id').primaryKey(),
  streamVersion: integer('stream_version').notNull(),
  stateVersion: integer('state_version').notNull(),
  state: jsonb('state').notNull(),
  takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Where each consumer of the log (a read model, a process manager, a reactor, a relay) has read up to: the
 * log position of the last event it has read past, with what an operator needs to see whether it is healthy.
 * The consumer engine (db/consumers) owns the rows; see docs/projections.md.
 */
export const consumerCheckpoints = pgTable('consumer_checkpoints', {
  consumer: text('consumer').primaryKey(),
  transactionId: xid8('transaction_id').notNull(),
  position: bigint('position', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** The last error a batch failed with; kept after recovery, so an operator can see what happened. */
  lastError: text('last_error'),
  lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
  /** Set by the first failure of a run of failed batches, cleared by the next batch that succeeds. */
  failingSince: timestamp('failing_since', { withTimezone: true }),
  /** The batches failed in a row since `failingSince` ("failing since 11:02, 14 attempts"); 0 while healthy. */
  failedAttempts: integer('failed_attempts').notNull().default(0),
  /**
   * Every event the checkpoint has moved past, counted up by each move (a rewind does not reset it): a
   * counter whose rise between two lag samples is the consumer's throughput, exact where positions are not
   * (they have gaps, and the checkpoint walks them in transaction order, not position order).
   */
  eventsRead: bigint('events_read', { mode: 'number' }).notNull().default(0),
});

export type StoredEventRow = typeof events.$inferSelect;
export type CommandResultRow = typeof commandResults.$inferSelect;
export type StreamSnapshotRow = typeof streamSnapshots.$inferSelect;
export type ConsumerCheckpointRow = typeof consumerCheckpoints.$inferSelect;

/**
 * Who runs each consumer, and whether staff paused it (db/consumers/leases.ts, docs/projections.md). A row
 * per consumer beside its checkpoint: the lease is held by one engine instance at a time and expires unless
 * its holder renews it; every time in it is the database's clock, so instances whose clocks disagree still
 * agree on who holds what. The pause lives here, not in a process, so it holds on every instance and across
 * restarts until someone resumes the consumer.
 */
export const consumerLeases = pgTable('consumer_leases', {
  consumer: text('consumer').primaryKey(),
  /** The instance running the consumer (`host:pid:suffix`), or null when nobody has claimed it. */
  holder: text('holder'),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }),
  /** The holder's last renewal. */
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  /** Until when the lease is the holder's; after that anyone may take it. A released lease expires at release. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull().defaultNow(),
  /** Set by staff: no instance runs the consumer until it is resumed. */
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  pausedBy: text('paused_by'),
});

/**
 * The engine instances alive now, each with the consumers it can run: how an instance counts its peers to take
 * only its fair share of the leases. An instance renews its row with its leases and deletes it when it stops.
 */
export const consumerInstances = pgTable('consumer_instances', {
  instanceId: text('instance_id').primaryKey(),
  consumers: text('consumers').array().notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export type ConsumerLeaseRow = typeof consumerLeases.$inferSelect;

/**
 * Each consumer's lag and read count every few seconds over the last hour (db/consumers/samples.ts): what the
 * status page charts and its throughput is measured from. One row per consumer per time bucket, so however many
 * instances sample, the first one's sample is the bucket's; rows older than the window are pruned as it goes.
 */
export const consumerLagSamples = pgTable(
  'consumer_lag_samples',
  {
    consumer: text('consumer').notNull(),
    /** The start of the sample's time bucket (`date_bin`): the key that makes sampling idempotent. */
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    /** When it was taken, within the bucket: what throughput divides by. */
    sampledAt: timestamp('sampled_at', { withTimezone: true }).notNull().defaultNow(),
    eventsRead: bigint('events_read', { mode: 'number' }).notNull(),
    behindEvents: integer('behind_events').notNull(),
    lagSeconds: doublePrecision('lag_seconds').notNull(),
  },
  (table) => [primaryKey({ name: 'consumer_lag_samples_pkey', columns: [table.consumer, table.bucket] })],
);
