/**
 * A place in the global log. Readers deliver events in (transactionId, position) order, so that pair, not the
 * position alone, is what a checkpoint and a consistency token hold (docs/event-store.md explains why).
 *
 * Pure and dependency-free: the browser compares tokens with checkpoints using this same module.
 */
export type LogPosition = {
  readonly transactionId: number;
  readonly position: number;
};

export const logStart: LogPosition = { transactionId: 0, position: 0 };

export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  return a.transactionId - b.transactionId || a.position - b.position;
}

/** True when a reader at `checkpoint` has applied the event at `target` (and everything before it). */
export function hasReached(checkpoint: LogPosition, target: LogPosition): boolean {
  return compareLogPositions(checkpoint, target) >= 0;
}

/** Tokens travel as text ("transactionId.position") through URLs, JSON and localStorage. */
export function encodeToken(at: LogPosition): string {
  return `${at.transactionId}.${at.position}`;
}

const tokenPattern = /^(\d{1,15})\.(\d{1,15})$/;

export function decodeToken(token: string): LogPosition | null {
  const match = tokenPattern.exec(token);
  if (!match) return null;
  return { transactionId: Number(match[1]), position: Number(match[2]) };
}
