import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConcurrencyError,
  encodeToken,
  IdempotencyKeyReusedError,
  type EventMetadata,
  type EventStore,
  type LogPosition,
  type StreamAppend,
} from '@/db/event-store';
import { fold, type Command, type Decider, type DomainEvent } from '@/domain/decider';

/** What travels with every command from the edge: who sent it, why, and its idempotency key. */
export type CommandEnvelope = {
  /** Chosen by the client; the same key again returns the first result and appends nothing. */
  readonly idempotencyKey: string;
  /** Fingerprint of the request, so a key reused for a different request is refused. */
  readonly requestHash: string;
  readonly correlationId: string;
  /** The event a process reacted to; a command from the edge is caused by itself (its idempotency key). */
  readonly causationId?: string;
  readonly actor: string;
  readonly source: string;
  readonly now: Date;
};

/**
 * Every command's result carries a consistency token: the log position of its last event, or null when the
 * command changed nothing. The browser keeps it and compares it with each read model's checkpoint.
 */
export type CommandOutcome<Extra extends object> = Extra & { readonly token: string | null };

/** Loads streams, decides on them and stages the resulting events; committed together by `runCommand`. */
export type UnitOfWork = {
  decide<S, C extends Command, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    command: C,
  ): Promise<E[]>;
  load<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState' | 'snapshots'>,
  ): Promise<S>;
  /**
   * A stream the command brings into being under an id it has just generated (a random UUID): nothing is
   * read, since nothing can be there, and the append still requires that the stream does not exist.
   */
  startNew<S, E extends DomainEvent>(
    streamId: string,
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState' | 'snapshots'>,
  ): S;
};

/** Attempts before a conflict is reported: each attempt re-reads the streams and decides again. */
const maxAttempts = 3;

/**
 * The one command-handling path: load → decide → append with the expected versions → on a conflict,
 * decide again on fresh state.
 *
 * Re-deciding is safe because our commands state an intent ("add 2 mugs", "pay this order") and the
 * deciders check every rule against the state they are given, so a retry can only succeed where the rules
 * still allow it. After the last attempt the conflict reaches the caller.
 *
 * A repeated idempotency key is not looked up first: the append refuses it atomically and returns the first
 * result, so the common case (a new command) saves that round trip.
 */
export async function runCommand<Extra extends object>(
  store: EventStore,
  envelope: CommandEnvelope,
  body: (unit: UnitOfWork, now: Date) => Promise<Extra>,
): Promise<CommandOutcome<Extra>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(store, envelope, body);
    } catch (error) {
      // A duplicate of this command may have committed before or while we decided; deciding on the state it
      // left would refuse ("already checked out") what is in fact a retry. Its result is the answer.
      const committed = await firstResult<Extra>(store, envelope);
      if (committed) return committed;
      if (!(error instanceof ConcurrencyError) || attempt >= maxAttempts) throw error;
      // A little jitter, so writers that collided do not collide again in lockstep.
      await sleep(5 + Math.random() * 20 * attempt);
    }
  }
}

/** The stored result of an earlier command with this idempotency key, if it was the same request. */
async function firstResult<Extra extends object>(
  store: EventStore,
  envelope: CommandEnvelope,
): Promise<CommandOutcome<Extra> | null> {
  const previous = await store.findCommandResult<Extra>(envelope.idempotencyKey);
  if (!previous) return null;
  if (previous.requestHash !== envelope.requestHash) throw new IdempotencyKeyReusedError(envelope.idempotencyKey);
  return withToken(previous.result, previous.last);
}

function withToken<Extra extends object>(extra: Extra, last: LogPosition | null): CommandOutcome<Extra> {
  // A result recorded by code from before the last-position columns carries its token itself.
  const recorded = (extra as { token?: unknown }).token;
  return { ...extra, token: last ? encodeToken(last) : typeof recorded === 'string' ? recorded : null };
}

/** A stream as one attempt sees it: where its state starts, the events read after that, and what it adds. */
type LoadedStream = {
  readonly decider: AnyDecider;
  /** The snapshot's state and version, or the initial state at version 0. */
  readonly base: { readonly state: unknown; readonly version: number };
  readonly history: DomainEvent[];
  readonly staged: DomainEvent[];
};

type AnyDecider = Pick<Decider<unknown, never, DomainEvent>, 'evolve' | 'initialState' | 'snapshots'>;

async function attemptOnce<Extra extends object>(
  store: EventStore,
  envelope: CommandEnvelope,
  body: (unit: UnitOfWork, now: Date) => Promise<Extra>,
): Promise<CommandOutcome<Extra>> {
  // A stream is read once per attempt; deciding on it again folds the staged events on top.
  const streams = new Map<string, LoadedStream>();

  const unit: UnitOfWork = {
    async load<S, E extends DomainEvent>(
      streamId: string,
      decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState' | 'snapshots'>,
    ): Promise<S> {
      let stream = streams.get(streamId);
      if (!stream) {
        // The stream's events were written by this decider's aggregate, so they are its event type.
        stream = await loadStream(store, streamId, decider as unknown as AnyDecider);
        streams.set(streamId, stream);
      }
      return currentState(stream) as S;
    },
    startNew<S, E extends DomainEvent>(
      streamId: string,
      decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState' | 'snapshots'>,
    ): S {
      if (streams.has(streamId)) throw new Error(`${streamId} was already read by this command.`);
      const initial = decider.initialState();
      // Version 0 makes the append expect no stream: a duplicate id would be refused, not overwritten.
      const base = { state: initial, version: 0 };
      streams.set(streamId, { decider: decider as unknown as AnyDecider, base, history: [], staged: [] });
      return initial;
    },
    async decide(streamId, decider, command) {
      const state = await unit.load(streamId, decider);
      const events = decider.decide(command, state);
      streams.get(streamId)?.staged.push(...events);
      return events;
    },
  };

  const extra = await body(unit, envelope.now);
  const writes: StreamAppend[] = [...streams.entries()]
    .filter(([, stream]) => stream.staged.length > 0)
    .map(([streamId, stream]) => {
      const version = versionRead(stream);
      return {
        streamId,
        // Reading a stream and finding no events means it must still not exist when we append.
        expectedVersion: version === 0 ? 'no_stream' : version,
        events: stream.staged.map((event) => ({ type: event.type, data: event.data })),
      };
    });

  const metadata: EventMetadata = {
    correlationId: envelope.correlationId,
    causationId: envelope.causationId ?? envelope.idempotencyKey,
    actor: envelope.actor,
    source: envelope.source,
  };
  const outcome = await store.appendToStreams(writes, {
    metadata,
    idempotency: { key: envelope.idempotencyKey, requestHash: envelope.requestHash, result: extra },
  });
  if (outcome.kind === 'duplicate') return withToken(outcome.result, outcome.last);
  await saveSnapshots(store, streams);
  return withToken(extra, outcome.appended.last);
}

async function loadStream(store: EventStore, streamId: string, decider: AnyDecider): Promise<LoadedStream> {
  const policy = decider.snapshots;
  const { snapshot, events } = policy
    ? await store.readStreamFromSnapshot(streamId, policy.stateVersion)
    : { snapshot: null, events: await store.readStream(streamId) };
  return {
    decider,
    base: snapshot ?? { state: decider.initialState(), version: 0 },
    history: events.map((event): DomainEvent => ({ type: event.type, data: event.data as object })),
    staged: [],
  };
}

const versionRead = (stream: LoadedStream) => stream.base.version + stream.history.length;

const currentState = (stream: LoadedStream) =>
  fold(stream.decider, [...stream.history, ...stream.staged], stream.base.state);

/**
 * After a successful append, caches the state of every stream whose policy says it has grown far enough
 * past its snapshot. The state is exactly the stream's at the version written (or read), because the append
 * checked that version. A snapshot is only a cache, so failing to store one costs speed, not correctness.
 */
async function saveSnapshots(store: EventStore, streams: ReadonlyMap<string, LoadedStream>): Promise<void> {
  for (const [streamId, stream] of streams) {
    const policy = stream.decider.snapshots;
    if (!policy) continue;
    const version = versionRead(stream) + stream.staged.length;
    if (version - stream.base.version < policy.every) continue;
    try {
      await store.saveSnapshot(streamId, policy.stateVersion, { version, state: currentState(stream) });
    } catch (error) {
      // The command has committed and succeeds; the store reports the failure where its creator said.
      store.reportSnapshotFailure(streamId, error);
    }
  }
}
