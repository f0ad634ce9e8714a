'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { laterToken } from './tokens';

/**
 * The browser's memory of its own last command: the consistency token (log position) that command returned.
 * Kept in localStorage so it survives navigation and reloads, and shared between tabs through storage events.
 */
const storageKey = 'hindsight:last-token';

type LastToken = { token: string | null; record: (token: string | null) => void };

const LastTokenContext = createContext<LastToken | null>(null);

export function LastTokenProvider({ children }: { children: ReactNode }) {
  // Null on the server and in the first client render, so both render the same markup.
  const [token, setToken] = useState<string | null>(null);

  useEffect(() => {
    setToken(window.localStorage.getItem(storageKey));
    const onStorage = (event: StorageEvent) => {
      if (event.key === storageKey) setToken((current) => laterToken(current, event.newValue));
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const record = useCallback((next: string | null) => {
    setToken((current) => {
      const kept = laterToken(current, next);
      if (kept && kept !== current) window.localStorage.setItem(storageKey, kept);
      return kept;
    });
  }, []);

  const value = useMemo(() => ({ token, record }), [token, record]);
  return <LastTokenContext.Provider value={value}>{children}</LastTokenContext.Provider>;
}

export function useLastToken(): LastToken {
  const value = useContext(LastTokenContext);
  if (!value) throw new Error('useLastToken must be used inside <LastTokenProvider>.');
  return value;
}
