'use client';

import { useActionState } from 'react';
import { signUp, type AuthFormState } from '../actions';
import { EmailField, FormError } from '../fields';

/** Name, email and password; the account is signed in at once, and the shop registers the customer. */
export function SignUpForm({ returnTo }: { returnTo: string }) {
  const [state, action, pending] = useActionState(signUp, { error: null } satisfies AuthFormState);
  return (
    <form action={action} className="auth-form" aria-label="Create an account">
      <input type="hidden" name="returnTo" value={returnTo} />
      <p className="field">
        <label htmlFor="sign-up-name">Name</label>
        <input id="sign-up-name" name="name" autoComplete="name" required maxLength={100} defaultValue={state.name} />
      </p>
      <EmailField id="sign-up-email" state={state} />
      <p className="field">
        <label htmlFor="sign-up-password">Password</label>
        <input
          id="sign-up-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          aria-describedby="sign-up-password-hint"
        />
        <span id="sign-up-password-hint" className="field-hint">
          At least 8 characters.
        </span>
      </p>
      <FormError state={state} />
      <button type="submit" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
