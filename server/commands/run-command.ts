import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConcurrencyError,
  encodeToken,
  IdempotencyKeyReusedError,
  type EventMetadata,
  type EventStore,
  type StreamAppend,
} from '@/db/event-store';
import { fold, type Command, type Decider, type DomainEvent } from '@/server/domain/decider';

/** What travels with every command from the edge: who sent it, why, and its idempotency key. */
export type CommandEnvelope = {
  /** Chosen by the client; the same key again returns the first result and appends nothing. */
  readonly idempotencyKey: string;
  /** Fingerprint of the request, so a key reused for a different request is refused. */
  readonly requestHash: string;
  readonly correlationId: string;
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
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState'>,
  ): Promise<S>;
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
 */
export async function runCommand<Extra extends object>(
  store: EventStore,
  envelope: CommandEnvelope,
  body: (unit: UnitOfWork, now: Date) => Promise<Extra>,
): Promise<CommandOutcome<Extra>> {
  const previous = await firstResult<Extra>(store, envelope);
  if (previous) return previous;

  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(store, envelope, body);
    } catch (error) {
      // A duplicate of this command may have committed while we decided; deciding again on the state it
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
  const previous = await store.findCommandResult<CommandOutcome<Extra>>(envelope.idempotencyKey);
  if (!previous) return null;
  if (previous.requestHash !== envelope.requestHash) throw new IdempotencyKeyReusedError(envelope.idempotencyKey);
  return previous.result;
}

async function attemptOnce<Extra extends object>(
  store: EventStore,
  envelope: CommandEnvelope,
  body: (unit: UnitOfWork, now: Date) => Promise<Extra>,
): Promise<CommandOutcome<Extra>> {
  // Per stream: the version read, the stored events' domain form, and the events decided in this attempt.
  // A stream is read once per attempt; deciding on it again folds the staged events on top.
  const streams = new Map<string, { version: number; history: DomainEvent[]; staged: DomainEvent[] }>();

  const unit: UnitOfWork = {
    async load(streamId, decider) {
      let stream = streams.get(streamId);
      if (!stream) {
        const stored = await store.readStream(streamId);
        const history = stored.map((event): DomainEvent => ({ type: event.type, data: event.data as object }));
        stream = { version: stored.length, history, staged: [] };
        streams.set(streamId, stream);
      }
      // The stream's events were written by this decider's aggregate, so they are its event type.
      return fold(decider, [...stream.history, ...stream.staged] as Parameters<typeof decider.evolve>[1][]);
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
    .map(([streamId, stream]) => ({
      streamId,
      // Reading a stream and finding no events means it must still not exist when we append.
      expectedVersion: stream.version === 0 ? 'no_stream' : stream.version,
      events: stream.staged.map((event) => ({ type: event.type, data: event.data })),
    }));

  const metadata: EventMetadata = {
    correlationId: envelope.correlationId,
    causationId: envelope.idempotencyKey,
    actor: envelope.actor,
    source: envelope.source,
  };
  const outcome = await store.appendToStreams(writes, {
    metadata,
    idempotency: {
      key: envelope.idempotencyKey,
      requestHash: envelope.requestHash,
      result: (appended): CommandOutcome<Extra> => ({
        ...extra,
        token: appended.last ? encodeToken(appended.last) : null,
      }),
    },
  });
  return outcome.result;
}
