import type { SqlExecutor } from '../sql';
import type { EventCodec } from './schemas';
import { columns, toStoredEvent, type EventRecord } from './read';
import type { StoredEvent } from './types';

/** A stream's state as of `version`, cached by the command side; see `streamSnapshots` in the schema. */
export type Snapshot<State = unknown> = {
  /** The stream version the state was folded up to (inclusive). */
  readonly version: number;
  readonly state: State;
};

/**
 * The stream's snapshot of `stateVersion`, if there is one, and the events after it, in one round trip.
 * Without a usable snapshot it is the whole stream. The snapshot and the events are read by one statement,
 * so they come from one snapshot of the database: the events continue exactly where the state ends.
 */
export async function readStreamFromSnapshot<State>(
  db: SqlExecutor,
  codec: EventCodec,
  streamId: string,
  stateVersion: number,
): Promise<{ snapshot: Snapshot<State> | null; events: StoredEvent[] }> {
  const rows = await db.query<{ snapshotVersion: number | null; snapshotState: State | null } & Partial<EventRecord>>(
    `select snapshot.stream_version as "snapshotVersion", snapshot.state as "snapshotState", tail.*
     from (select) as one_row
     left join stream_snapshots as snapshot on snapshot.stream_id = $1 and snapshot.state_version = $2
     left join lateral (
       select ${columns} from events
       where stream_id = $1 and stream_version > coalesce(snapshot.stream_version, 0)
       order by stream_version) as tail on true
     order by tail."streamVersion"`,
    [streamId, stateVersion],
  );
  const first = rows[0];
  const snapshot =
    first?.snapshotVersion != null ? { version: first.snapshotVersion, state: first.snapshotState as State } : null;
  const events = rows
    .filter((row): row is typeof row & EventRecord => row.eventId != null)
    .map(({ snapshotVersion: _version, snapshotState: _state, ...record }) => toStoredEvent(record, codec));
  return { snapshot, events };
}

/**
 * Stores a snapshot unless a newer one of the same state version is already there. The state must survive
 * a JSON round trip (plain objects, arrays, strings, numbers, booleans, null).
 */
export async function saveSnapshot(
  db: SqlExecutor,
  streamId: string,
  stateVersion: number,
  snapshot: Snapshot,
): Promise<void> {
  await db.query(
    `insert into stream_snapshots (stream_id, stream_version, state_version, state)
     values ($1, $2, $3, $4::text::jsonb)
     on conflict (stream_id) do update
       set stream_version = excluded.stream_version, state_version = excluded.state_version,
         state = excluded.state, taken_at = now()
     where stream_snapshots.state_version <> excluded.state_version
        or stream_snapshots.stream_version < excluded.stream_version`,
    [streamId, snapshot.version, stateVersion, JSON.stringify(snapshot.state)],
  );
}
