import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { safeReturnTo } from '../../_auth/return-to';
import { serverCaller } from '../../_trpc/server';
import { DemoAccounts } from '../demo-accounts';
import { MagicLinkForm, PasswordSignInForm } from './sign-in-forms';
import '../auth.css';

export const metadata: Metadata = { title: 'Sign in · Hindsight shop' };

const linkErrors: Record<string, string> = {
  INVALID_TOKEN: 'That sign-in link is not valid. Ask for a new one below.',
  EXPIRED_TOKEN: 'That sign-in link has expired. Ask for a new one below.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  const caller = await serverCaller();
  const [{ viewer }, options] = await Promise.all([caller.session.current(), caller.session.signInOptions()]);
  if (viewer) redirect(returnTo);
  const linkError = typeof params.error === 'string' ? (linkErrors[params.error] ?? 'That sign-in link did not work. Ask for a new one below.') : null;
  return (
    <div className="auth-page">
      <h1>Sign in</h1>
      {linkError && (
        <p className="error" role="alert">
          {linkError}
        </p>
      )}
      <div className="auth-columns">
        <section className="auth-panel" aria-labelledby="password-heading">
          <h2 id="password-heading">With your password</h2>
          <PasswordSignInForm returnTo={returnTo} />
          <p className="auth-aside">
            New here? <Link href={returnTo === '/' ? '/sign-up' : `/sign-up?returnTo=${encodeURIComponent(returnTo)}`}>Create an account</Link>
          </p>
        </section>
        {options.magicLink && (
          <section className="auth-panel" aria-labelledby="link-heading">
            <h2 id="link-heading">With a link by mail</h2>
            <MagicLinkForm returnTo={returnTo} mailbox={options.mailbox} />
          </section>
        )}
      </div>
      {options.demo && <DemoAccounts password={options.demo.password} accounts={options.demo.accounts} />}
    </div>
  );
}
