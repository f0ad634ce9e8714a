/**
 * Typed domain errors. Deciders throw these; the tRPC layer maps them to response codes in one place
 * (server/trpc/init.ts), so no router translates errors by hand.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: 'IllegalState' | 'NotFound' | 'Validation';

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is well-formed but the aggregate's current state does not allow it. */
export class IllegalStateError extends DomainError {
  readonly kind = 'IllegalState';
}

/** The command addresses an aggregate that does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'NotFound';
}

/** The command's values break a domain rule that input validation cannot see on its own. */
export class ValidationError extends DomainError {
  readonly kind = 'Validation';
}
