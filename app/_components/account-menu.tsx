'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { signOut } from '../(auth)/actions';
import { signInPath } from '../_auth/return-to';

/** Who is signed in, with sign-out; or the way to sign in, coming back to this page afterwards. */
export function AccountMenu({ viewer }: { viewer: { name: string; email: string } | null }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();

  if (!viewer) {
    // The sign-in pages themselves come back to the home page, not to themselves.
    const here = pathname.startsWith('/sign-in') || pathname.startsWith('/sign-up') ? '/' : search ? `${pathname}?${search}` : pathname;
    return (
      <div className="account-menu">
        <Link href={signInPath(here)} className="button">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form action={signOut} className="account-menu">
      <span className="account-name" title={viewer.email}>
        {viewer.name}
      </span>
      <button type="submit" className="secondary">
        Sign out
      </button>
    </form>
  );
}
