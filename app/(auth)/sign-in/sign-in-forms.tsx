'use client';

import Link from 'next/link';
import { useActionState } from 'react';
import { sendMagicLink, signInWithPassword, type AuthFormState } from '../actions';
import { EmailField, FormError } from '../fields';

const idle: AuthFormState = { error: null };

/** Email and password; on success the page it was asked from, with the header showing who is signed in. */
export function PasswordSignInForm({ returnTo }: { returnTo: string }) {
  const [state, action, pending] = useActionState(signInWithPassword, idle);
  return (
    <form action={action} className="auth-form" aria-label="Sign in with your password">
      <input type="hidden" name="returnTo" value={returnTo} />
      <EmailField id="sign-in-email" state={state} />
      <p className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
      </p>
      <FormError state={state} />
      <button type="submit" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

/** A link by mail: no password needed; a new address gets an account on first use. */
export function MagicLinkForm({ returnTo, mailbox }: { returnTo: string; mailbox: boolean }) {
  const [state, action, pending] = useActionState(sendMagicLink, idle);
  if (state.sentTo) {
    return (
      <div className="confirmation" role="status">
        <p>
          We sent a sign-in link to <strong>{state.sentTo}</strong>. It works once, within 15 minutes.
        </p>
        {mailbox && (
          <p>
            No mail server is configured, so it is in the <Link href="/mailbox">development mailbox</Link>.
          </p>
        )}
      </div>
    );
  }
  return (
    <form action={action} className="auth-form" aria-label="Sign in with a link by mail">
      <input type="hidden" name="returnTo" value={returnTo} />
      <EmailField id="magic-link-email" state={state} />
      <FormError state={state} />
      <button type="submit" className="secondary" disabled={pending}>
        {pending ? 'Sending…' : 'Mail me a sign-in link'}
      </button>
    </form>
  );
}
