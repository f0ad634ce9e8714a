import type { ExpectedVersion } from './types';

/** The stream is not at the version the writer expected: someone else appended first. Nothing was written. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | null,
  ) {
    super(
      `Stream ${streamId} was changed by someone else (expected ${describe(expected)}, ` +
        `found ${actual === null ? 'a newer version' : `version ${actual}`}).`,
    );
    this.name = 'ConcurrencyError';
  }
}

/** An idempotency key arrived again with a different request: the client has a bug; nothing was written. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`Idempotency key ${idempotencyKey} was already used for a different request.`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

function describe(expected: ExpectedVersion): string {
  if (expected === 'no_stream') return 'no stream';
  if (expected === 'any') return 'any version';
  return `version ${expected}`;
}

/** An append carried an event its type's current schema refuses: a bug in the code that decided it. Nothing was written. */
export class MalformedEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`A ${eventType} event does not match its schema (${reason}); nothing was written.`);
    this.name = 'MalformedEventError';
  }
}

/**
 * A stored event the code cannot read: its type or version is not registered, or its data does not match
 * the schema of its version. Readers stop at it; the error names the event so an operator can find it.
 */
export class UnreadableEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly at: { readonly streamId: string; readonly streamVersion: number; readonly globalPosition?: number },
    readonly reason: string,
  ) {
    super(
      `Cannot read the ${eventType} v${schemaVersion} event at ${at.globalPosition === undefined ? '' : `position ${at.globalPosition}, `}` +
        `${at.streamId} version ${at.streamVersion}: ${reason}`,
    );
    this.name = 'UnreadableEventError';
  }
}
