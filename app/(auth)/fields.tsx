import type { AuthFormState } from './actions';

/** The email field every sign-in form has; it keeps what was typed when the form was refused. */
export function EmailField({ id, state }: { id: string; state: AuthFormState }) {
  return (
    <p className="field">
      <label htmlFor={id}>Email</label>
      <input id={id} name="email" type="email" autoComplete="email" required defaultValue={state.email} />
    </p>
  );
}

/** Why the form was refused, in the shop's words (auth-message.ts). */
export function FormError({ state }: { state: AuthFormState }) {
  if (!state.error) return null;
  return (
    <p className="error" role="alert">
      {state.error}
    </p>
  );
}
