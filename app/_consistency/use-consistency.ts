'use client';

import { useEffect, useState } from 'react';
import { useLastToken } from './last-token';
import { isBehind } from './tokens';

export { isBehind };

/**
 * How long a page may stay behind before the banner stops saying "in a moment" and says updates are delayed.
 * The worker normally catches up within milliseconds; ten seconds behind means it is stopped or stuck.
 */
const delayedAfterMs = 10_000;

/** While behind, the page refetches this often; once delayed, less often, so a stopped worker costs little. */
export const refetchWhileBehindMs = 500;
export const refetchWhileDelayedMs = 2_000;

export type Consistency = { behind: boolean; delayed: boolean };

/**
 * Judges a page's read models against the browser's last token. Each read model is judged on its own: the
 * page is behind while any of the checkpoints it shows is.
 */
export function useConsistency(checkpoints: readonly (string | null | undefined)[]): Consistency {
  const { token } = useLastToken();
  const behind = checkpoints.some((checkpoint) => isBehind(checkpoint, token));
  const [behindSince, setBehindSince] = useState<number | null>(null);
  const [delayed, setDelayed] = useState(false);

  useEffect(() => {
    if (!behind) {
      setBehindSince(null);
      setDelayed(false);
      return;
    }
    const since = behindSince ?? Date.now();
    if (behindSince === null) setBehindSince(since);
    const timer = setTimeout(() => setDelayed(true), Math.max(0, since + delayedAfterMs - Date.now()));
    return () => clearTimeout(timer);
  }, [behind, behindSince]);

  return { behind, delayed: behind && delayed };
}
