/**
 * The shape every aggregate follows. A decider is pure: it reads no clock, generates no ids and does no I/O.
 * Time and ids arrive in the command, so the same command on the same state always yields the same events.
 */
export type Command<Type extends string = string, Data extends object = object> = {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
};

export type CommandMetadata = {
  /** The moment the command is decided; events record it as ISO-8601 text. */
  readonly now: Date;
};

/** A domain event before it is stored: the event store adds position, version, ids and metadata. */
export type DomainEvent<Type extends string = string, Data extends object = object> = {
  readonly type: Type;
  readonly data: Data;
};

export type Decider<State, C extends Command, E extends DomainEvent> = {
  readonly decide: (command: C, state: State) => E[];
  readonly evolve: (state: State, event: E) => State;
  readonly initialState: () => State;
  /** Opt-in for aggregates whose streams grow long; see `SnapshotPolicy`. */
  readonly snapshots?: SnapshotPolicy;
};

/**
 * A stream that keeps growing (a product gets a StockReserved per order) would make every command on it
 * fold its whole history. With a policy, the command side caches the folded state every `every` events and
 * folds only the events after it. The state must survive a JSON round trip.
 *
 * `stateVersion` names the shape of State and what `evolve` does: change it whenever either changes, and
 * snapshots of the old version are ignored (the stream is folded from its first event and snapshotted anew).
 */
export type SnapshotPolicy = {
  readonly stateVersion: number;
  readonly every: number;
};

/** Folds events into state; a command handler uses it to rebuild an aggregate from its stream. */
export function fold<State, E extends DomainEvent>(
  decider: Pick<Decider<State, never, E>, 'evolve' | 'initialState'>,
  events: Iterable<E>,
  from: State = decider.initialState(),
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** Compile-time exhaustiveness check for the final branch of a switch over a discriminated union. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected variant: ${JSON.stringify(value)}`);
}
