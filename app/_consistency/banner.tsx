'use client';

import type { Consistency } from './use-consistency';

/**
 * Says, honestly, that the page shows a read model that has not yet caught up with the shopper's last action,
 * and that it will update by itself. After a bounded wait it says the update is delayed instead of spinning.
 */
export function ConsistencyBanner({
  consistency,
  pending = 'Your last change is being processed; this page updates by itself.',
}: {
  consistency: Consistency;
  pending?: string;
}) {
  if (!consistency.behind) return null;
  return (
    <div role="status" aria-live="polite" className={consistency.delayed ? 'banner banner-delayed' : 'banner'}>
      {consistency.delayed ? (
        <>
          <strong>Updates are delayed.</strong> This page has not caught up with your last action for a while; the
          shop's background worker may not be running. It will update by itself as soon as it catches up.
        </>
      ) : (
        <>
          <span className="spinner" aria-hidden="true" />
          {pending}
        </>
      )}
    </div>
  );
}
