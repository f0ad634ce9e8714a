import { compareLogPositions, decodeToken, hasReached } from '@/common';

/**
 * The browser's consistency rules on tokens as they travel (text, "transactionId.position"), apart from
 * React so that a unit test can hold them to account: `use-consistency.ts` and `last-token.tsx` build on them.
 */

/**
 * True when a read model at `checkpoint` has not yet applied the browser's last command. A query that judged
 * no read model (null) is never behind, and neither is one whose checkpoint or token cannot be read.
 */
export function isBehind(checkpoint: string | null | undefined, token: string | null): boolean {
  if (!token || !checkpoint) return false;
  const target = decodeToken(token);
  const at = decodeToken(checkpoint);
  return Boolean(target && at && !hasReached(at, target));
}

/**
 * Keeps the later of two tokens: an older response arriving late must not move the browser backwards. A
 * token that cannot be read never replaces one that can.
 */
export function laterToken(current: string | null, next: string | null): string | null {
  const a = current ? decodeToken(current) : null;
  const b = next ? decodeToken(next) : null;
  if (!b) return current;
  if (!a) return next;
  return compareLogPositions(b, a) > 0 ? next : current;
}
