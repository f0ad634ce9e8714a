import type { LogPosition } from '@/common/log-position';

/** Who and what caused an event; stored with it as jsonb. */
export type EventMetadata = {
  /** Shared by every event that one user action led to, across streams and process managers. */
  readonly correlationId: string;
  /** The id of the command (or event) that directly caused this one. */
  readonly causationId: string;
  /** Who acted: `customer:<id>`, `staff`, `system:seed`, … */
  readonly actor: string;
  /** Which program appended it: `web`, `seed`, … */
  readonly source: string;
  /**
   * The W3C trace context of the append that recorded it, when the appender traces (docs/operations.md, Traces):
   * what happens later because of the event (a consumer's batch, the relay's publish) continues that trace.
   * Older events and untraced appends have none.
   */
  readonly traceparent?: string;
  readonly tracestate?: string;
};

export type NewEvent = {
  readonly type: string;
  readonly data: object;
  /** Set by the store: the current version of the type's schema, which the data was checked against. */
  readonly schemaVersion?: number;
};

export type StoredEvent<Type extends string = string, Data = unknown> = {
  readonly globalPosition: number;
  readonly transactionId: number;
  readonly streamId: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: Type;
  /** The version the event was stored as; `data` has been upcast from it to the type's current shape. */
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
};

/** Where an event sits in the log and what it is, without its content: what every view of an event shows. */
export type StoredEventPlace = Pick<
  StoredEvent,
  'globalPosition' | 'transactionId' | 'streamId' | 'streamVersion' | 'eventId' | 'type' | 'schemaVersion' | 'recordedAt'
>;

/**
 * `no_stream`: the stream must not exist yet. `any`: no check of the version read. A number: the stream's
 * current version (its last event's stream version) must be exactly that; 0 is the same as `no_stream`.
 * Even with `any`, two appends racing on one stream can both read the same version; the loser gets a
 * ConcurrencyError and retries, because versions are never shared.
 */
export type ExpectedVersion = 'no_stream' | 'any' | number;

export type StreamAppend = {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedVersion: ExpectedVersion;
};

export type AppendOptions<Result> = {
  readonly metadata: EventMetadata;
  /**
   * When given, the key is recorded with `result` and the position of the last event, atomically with the
   * events. If the key was recorded before, nothing is appended and the first result is returned instead.
   */
  readonly idempotency?: {
    readonly key: string;
    /** Fingerprint of the request; the same key with another fingerprint is refused. */
    readonly requestHash: string;
    /** What a duplicate of this request gets back (stored as jsonb). */
    readonly result: Result;
  };
};

export type AppendResult = {
  /** Each stream's version after the append. */
  readonly versions: Readonly<Record<string, number>>;
  /** Where the last appended event sits in the log; null when nothing was appended. */
  readonly last: LogPosition | null;
};

export type AppendOutcome<Result> =
  | { readonly kind: 'appended'; readonly appended: AppendResult; readonly result: Result }
  | {
      readonly kind: 'duplicate';
      readonly result: Result;
      /** Where the first append's last event sits in the log; null when it appended nothing. */
      readonly last: LogPosition | null;
    };

/** What the first command with an idempotency key recorded. */
export type CommandResult<Result> = {
  readonly requestHash: string;
  readonly result: Result;
  readonly last: LogPosition | null;
};

export type ReadAllResult = {
  /** Where the read started: `after`, or the consumer's stored checkpoint. */
  readonly from: LogPosition;
  /** The events delivered: every event read, or with `types` those of these types. */
  readonly events: StoredEvent[];
  /** How many events the read moved past, delivered or not: the page was full when this is the limit. */
  readonly read: number;
  /** Where a reader should continue from: the last event read, or `from` when none was. */
  readonly checkpoint: LogPosition;
  /**
   * Committed events wait above the read horizon: an older transaction is still running. If it appends
   * nothing it sends no NOTIFY, so a reader that found fewer events than it asked for should look again soon.
   */
  readonly heldBack: boolean;
};
