import type { SqlClient } from '../sql';
import { findCommandKeys, readCorrelation, readRecentStreams, readStreamPage } from './browse';
import { appendToStreams, coalescedNotifier, eventsChannel, findCommandResult } from './append';
import { readCorrelatedEvents } from './correlation';
import { readAll, readHead, readStream, type ReadAllOptions, type ReadStreamOptions } from './read';
import { eventCodec, type EventSchemas } from './schemas';
import { readStreamFromSnapshot, saveSnapshot, type Snapshot } from './snapshots';
import type { AppendOptions, AppendOutcome, ExpectedVersion, NewEvent, StreamAppend } from './types';

export * from './checkpoints';
export * from './errors';
export * from '@/common/log-position';
export type * from './types';
export type { Snapshot } from './snapshots';
export { eventCodec, type EventCodec, type EventSchemas, type StoredVersion } from './schemas';
export { bulkAppend, type BulkEvent } from './bulk-append';
export { readCorrelatedEvents } from './correlation';
export type { InspectedEvent, RecentStream, StreamPage } from './browse';

/** The event store: an append-only log in PostgreSQL. See docs/event-store.md for the design. */
export type EventStore = ReturnType<typeof createEventStore>;

/**
 * What the store survives and reports rather than throws: neither loses anything. The store sits below the
 * server's logger, so whoever creates it says where reports go (server/db.ts and the worker log them); a
 * test's or a script's store leaves them unreported.
 */
export type EventStoreOptions = {
  /** Every version of every event type the log holds (for the shop: `shopEventSchemas` from the domain). */
  readonly schemas: EventSchemas;
} & EventStoreReports;

export type EventStoreReports = {
  /** An append committed but its NOTIFY could not be sent: consumers find the events at their next poll. */
  readonly onNotifyFailure?: (error: unknown) => void;
  /** A command committed but its stream's snapshot could not be stored: later commands fold the events instead. */
  readonly onSnapshotFailure?: (streamId: string, error: unknown) => void;
};

export function createEventStore(sql: SqlClient, options: EventStoreOptions) {
  const { schemas, ...reports } = options;
  const codec = eventCodec(schemas);
  const notifier = coalescedNotifier(sql, (error) => reports.onNotifyFailure?.(error));
  async function append<Result>(writes: readonly StreamAppend[], appendOptions: AppendOptions<Result>) {
    // Every event is checked against its type's current schema, and stored as that version, before anything
    // is sent: a malformed event fails the whole append.
    const encoded = writes.map((write) => ({
      ...write,
      events: write.events.map((event) => ({ ...event, schemaVersion: codec.encode(event.type, event.data) })),
    }));
    const outcome = await appendToStreams(sql, encoded, appendOptions);
    if (outcome.kind === 'appended' && outcome.appended.last) notifier.notify();
    return outcome;
  }
  return {
    /** Appends to a single stream; see `appendToStreams` for several streams in one transaction. */
    append<Result = undefined>(
      streamId: string,
      events: readonly NewEvent[],
      options: AppendOptions<Result> & { expectedVersion: ExpectedVersion },
    ): Promise<AppendOutcome<Result>> {
      return append([{ streamId, events, expectedVersion: options.expectedVersion }], options);
    },
    appendToStreams<Result = undefined>(
      writes: readonly StreamAppend[],
      options: AppendOptions<Result>,
    ): Promise<AppendOutcome<Result>> {
      return append(writes, options);
    },
    readStream: (streamId: string, options?: ReadStreamOptions) => readStream(sql, codec, streamId, options),
    /** The stream's snapshot of `stateVersion` (if any) and the events after it; see `snapshots.ts`. */
    readStreamFromSnapshot: <State>(streamId: string, stateVersion: number) =>
      readStreamFromSnapshot<State>(sql, codec, streamId, stateVersion),
    saveSnapshot: (streamId: string, stateVersion: number, snapshot: Snapshot) =>
      saveSnapshot(sql, streamId, stateVersion, snapshot),
    /** Reports a snapshot that could not be stored; see `EventStoreReports`. */
    reportSnapshotFailure: (streamId: string, error: unknown) => reports.onSnapshotFailure?.(streamId, error),
    readAll: (options: ReadAllOptions) => readAll(sql, codec, options),
    /** The events of these streams and every event sharing a correlation id with them; see `correlation.ts`. */
    readCorrelated: (streamIds: readonly string[]) => readCorrelatedEvents(sql, codec, streamIds),
    /** A page of one stream for an operator: stored data beside the upcast shape, and the stream's version. */
    readStreamPage: (streamId: string, page: { from: number; limit: number }) => readStreamPage(sql, codec, streamId, page),
    /** The events of one correlation id, at most `limit`, and whether that was all; see `browse.ts`. */
    readCorrelation: (correlationId: string, limit: number) => readCorrelation(sql, codec, correlationId, limit),
    /** The streams of the log's last `scan` events, most recently written first. */
    readRecentStreams: (scan: number) => readRecentStreams(sql, scan),
    /** Which of these idempotency keys are recorded, and the transaction each one's command appended in. */
    findCommandKeys: (keys: readonly string[]) => findCommandKeys(sql, keys),
    /** The store's schemas, for loading history through `bulkAppend`. */
    codec,
    readHead: () => readHead(sql),
    /** The stored result of a command that used this idempotency key, if any. */
    findCommandResult: <Result>(idempotencyKey: string) => findCommandResult<Result>(sql, idempotencyKey),
    /** Resolves once the consumers have been notified of every append so far; await before closing `sql`. */
    settled: () => notifier.settled(),
    /** Calls `onAppend` after every committed append (LISTEN/NOTIFY). Resolves once listening. */
    async onAppend(onAppend: () => void): Promise<{ stop: () => Promise<void> }> {
      return { stop: await sql.listen(eventsChannel, onAppend) };
    },
  };
}
