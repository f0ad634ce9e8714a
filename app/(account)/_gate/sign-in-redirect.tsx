'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { signInPath } from '../../_auth/return-to';

/**
 * Sends the visitor on to sign in, to come back to this very page. A layout cannot read the URL it renders
 * for (Next.js re-renders layouts without it), so the gate answers 401 (`unauthorized()`) and this, rendered by
 * app/unauthorized.tsx, reads the path in the browser and replaces the page with the sign-in page. Without
 * script the link does the same.
 */
export function SignInRedirect() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const href = signInPath(search ? `${pathname}?${search}` : pathname);
  useEffect(() => {
    window.location.replace(href);
  }, [href]);
  return (
    <a className="button" href={href}>
      Sign in
    </a>
  );
}
