'use client';

import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLastToken } from './last-token';
import { isBehind } from './use-consistency';

/**
 * Each read model's checkpoint, pushed by the web server over server-sent events (GET /api/progress,
 * server/progress/). A page behind the browser's last token refetches when a pushed checkpoint reaches it,
 * instead of polling; while the stream is down it polls as before, until the stream is back.
 */
type Progress = {
  /** Read model name → its checkpoint as a token, as last pushed. */
  readonly positions: Readonly<Record<string, string>>;
  /** Whether a page behind the token should poll: the stream is not live, and polling is not switched off. */
  readonly polling: boolean;
};

/**
 * `hindsight_polling=off` in a cookie switches the polling fallback off, so a page catches up by push or not
 * at all: the end-to-end suite sets it to prove the push works (e2e/progress.spec.ts). Nothing else does.
 */
const pollingOffCookie = 'hindsight_polling=off';

/** After the stream failed for good (an answer that was not a stream), how soon to open it again. */
const reopenAfterMs = 5_000;

const ProgressContext = createContext<Progress>({ positions: {}, polling: true });

export function ProgressProvider({ children }: { children: ReactNode }) {
  const [positions, setPositions] = useState<Record<string, string>>({});
  const [live, setLive] = useState(false);
  const [pollingOff, setPollingOff] = useState(false);

  useEffect(() => {
    setPollingOff(document.cookie.split(/;\s*/).includes(pollingOffCookie));
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let reopen: ReturnType<typeof setTimeout> | null = null;
    const open = () => {
      source = new EventSource('/api/progress');
      source.addEventListener('progress', (event) => {
        const changed = JSON.parse((event as MessageEvent<string>).data) as Record<string, string>;
        setPositions((current) => ({ ...current, ...changed }));
        setLive(true);
      });
      source.addEventListener('error', () => {
        // A dropped stream: EventSource reconnects by itself (after the server's `retry:`), and the first event
        // on the new stream carries every position again. Pages poll meanwhile.
        setLive(false);
        // An answer that was not a stream (a proxy's 502, a server restarting) makes EventSource give up.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          reopen = setTimeout(open, reopenAfterMs);
        }
      });
    };
    open();
    return () => {
      source?.close();
      if (reopen) clearTimeout(reopen);
    };
  }, []);

  const value = useMemo(() => ({ positions, polling: !live && !pollingOff }), [positions, live, pollingOff]);
  return <ProgressContext.Provider value={value}>{children}</ProgressContext.Provider>;
}

export function useProgress(): Progress {
  return useContext(ProgressContext);
}

/**
 * Refetches a query whose `checkpoint` is behind the browser's last token each time another read model's
 * pushed checkpoint reaches that token. The stream names read models, a query returns only its checkpoint, so
 * a page does not know which name is its own: it refetches once per read model that arrives, at most one per
 * read model, and the first refetch after its own arrived is up to date.
 */
export function useRefetchOnProgress(checkpoint: string | null | undefined, refetch: () => Promise<unknown>): void {
  const { token } = useLastToken();
  const { positions } = useProgress();
  const behind = isBehind(checkpoint, token);
  const arrived = token ? Object.values(positions).filter((at) => !isBehind(at, token)).length : 0;
  // The latest refetch, without re-running the effect when its identity changes.
  const latest = useRef(refetch);
  useEffect(() => {
    latest.current = refetch;
  });
  useEffect(() => {
    if (behind && arrived > 0) void latest.current();
  }, [behind, arrived]);
}
