import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { safeReturnTo } from '../../_auth/return-to';
import { serverCaller } from '../../_trpc/server';
import { SignUpForm } from './sign-up-form';
import '../auth.css';

export const metadata: Metadata = { title: 'Create an account · Hindsight shop' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const returnTo = safeReturnTo((await searchParams).returnTo);
  const { viewer } = await (await serverCaller()).session.current();
  if (viewer) redirect(returnTo);
  return (
    <div className="auth-page">
      <h1>Create an account</h1>
      <section className="auth-panel">
        <SignUpForm returnTo={returnTo} />
        <p className="auth-aside">
          Have an account already? <Link href={returnTo === '/' ? '/sign-in' : `/sign-in?returnTo=${encodeURIComponent(returnTo)}`}>Sign in</Link>
        </p>
      </section>
    </div>
  );
}
