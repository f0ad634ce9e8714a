'use client';

import Link from 'next/link';

/** Shown when a page's server render or query fails unexpectedly; the details are in the server log. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="notice" role="alert">
      <h1>Something went wrong</h1>
      <p>This page could not be shown just now. Nothing you did was lost: every accepted action is in the event log.</p>
      <p className="actions">
        <button type="button" onClick={reset}>
          Try again
        </button>
        <Link href="/">Back to the shop</Link>
      </p>
    </div>
  );
}
