'use client';

import { useSyncExternalStore } from 'react';
import { formatDateTime, formatLocalDateTime } from './format';

const noSubscription = () => () => {};

/**
 * A moment in the reader's own time zone. The server cannot know that zone, so the server's HTML (and the
 * first client render, which must match it to hydrate) says the time in UTC; once hydrated, the browser's
 * zone and locale take over. The title always gives UTC, the zone the shop's days (daily sales) are counted in.
 */
export function LocalTime({ iso, seconds = false }: { iso: string | Date; seconds?: boolean }) {
  // False while rendering on the server and hydrating, true afterwards: no effect and no extra state needed.
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  const at = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return null;
  const utc = formatDateTime(at);
  return (
    <time dateTime={at.toISOString()} title={utc}>
      {inBrowser ? formatLocalDateTime(at, { seconds }) : utc}
    </time>
  );
}
