'use client';

import { useSuspenseQuery, type QueryKey, type UseSuspenseQueryOptions } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLastToken } from './last-token';
import { useProgress, useRefetchOnProgress } from './progress';
import { isBehind, refetchWhileBehindMs, refetchWhileDelayedMs, useConsistency, type Consistency } from './use-consistency';

/**
 * Reads a read-model query (already prefetched by the server component) and keeps it honest: while its
 * checkpoint is behind the browser's last token the query refetches when a pushed checkpoint reaches the
 * token (./progress.tsx), or polls while the push stream is down; the returned consistency tells the page
 * whether to show the banner. Once the checkpoint reaches the token, both stop by themselves.
 */
export function useReadModel<TData extends { checkpoint: string | null }, TError, TKey extends QueryKey>(
  options: UseSuspenseQueryOptions<TData, TError, TData, TKey>,
): { data: TData; consistency: Consistency } {
  const { token } = useLastToken();
  const { polling } = useProgress();
  // The interval function is read on every refetch; a ref lets it see whether the banner says "delayed".
  const delayed = useRef(false);
  const query = useSuspenseQuery({
    ...options,
    refetchInterval: (current) => {
      if (!polling || !isBehind(current.state.data?.checkpoint, token)) return false;
      return delayed.current ? refetchWhileDelayedMs : refetchWhileBehindMs;
    },
  });
  useRefetchOnProgress(query.data.checkpoint, query.refetch);
  const consistency = useConsistency([query.data.checkpoint]);
  useEffect(() => {
    delayed.current = consistency.delayed;
  });
  return { data: query.data, consistency };
}
