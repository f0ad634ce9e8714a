import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../sql';
import type { EventCodec } from './schemas';
import type { EventMetadata } from './types';

/** An event of history being loaded, at the version it holds in its stream. */
export type BulkEvent = {
  readonly streamId: string;
  /** 1 for a stream's first event; each stream's events are numbered on without gaps. */
  readonly streamVersion: number;
  readonly type: string;
  /** The version of its type's schema the data has; it is checked against that version. */
  readonly schemaVersion: number;
  readonly data: object;
  readonly metadata: EventMetadata;
};

/** A statement takes at most 65,535 parameters, and every event takes this many. */
const parametersPerEvent = 7;

/**
 * Appends events of many streams in one INSERT, at the versions they bring: for loading history that was
 * generated (the benchmarks' shop of a million events) or imported. It is not the command path and must not
 * become one: there is no idempotency key and no expected version, nothing wakes the consumers (they find
 * the events at their next poll), and the only check is the unique (stream_id, stream_version) constraint,
 * which fails the whole statement, writing nothing, if a version is taken. Numbering the streams is the
 * caller's: a gap would mislead every later command, which counts a stream's events to know its version.
 * Each event's data is checked against the schema of the version it says it has, so history is loaded as
 * written (old versions included) and is upcast when read, like any other.
 *
 * It exists because history that already knows its versions has nothing to decide, and appending it a
 * stream at a time would cost a round trip per append: one statement per few thousand events loads it at
 * the speed of the INSERT. Events go in in the order given, so their log positions follow it, and one
 * statement is one transaction, so a reader sees all of a call's events or none.
 */
export async function bulkAppend(db: SqlExecutor, codec: EventCodec, events: readonly BulkEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) codec.check(event.type, event.schemaVersion, event.data);
  if (events.length * parametersPerEvent > 65_535) {
    throw new RangeError(`${events.length} events need more parameters than one statement takes; split them.`);
  }
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  // The events of one action share their metadata object, so each is serialised once.
  const metadataJson = new Map<EventMetadata, string>();
  const json = (metadata: EventMetadata) => {
    let text = metadataJson.get(metadata);
    if (text === undefined) metadataJson.set(metadata, (text = JSON.stringify(metadata)));
    return text;
  };
  // Event ids are minted here, as the append path mints them, never taken from the history being loaded.
  const rows = events.map(
    (event) =>
      `(${param(randomUUID())}::uuid, ${param(event.streamId)}::text, ${param(event.streamVersion)}::int, ` +
      `${param(event.type)}::text, ${param(event.schemaVersion)}::int, ${param(JSON.stringify(event.data))}::text::jsonb, ` +
      `${param(json(event.metadata))}::text::jsonb)`,
  );
  await db.query(
    `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
     values ${rows.join(', ')}`,
    values,
  );
}
