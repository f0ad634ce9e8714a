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
