'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { callAuthEndpoint, type EndpointAnswer } from '@/server/auth/endpoint';
import { safeReturnTo } from '../_auth/return-to';
import { authMessage } from './auth-message';

/**
 * The sign-in, sign-up and sign-out forms post here (server actions), so they work before the page's
 * JavaScript has loaded, and a password never ends up in a URL. Each calls better-auth's HTTP endpoint (see
 * callAuthEndpoint) and passes the cookies it sets on to the browser.
 */

/** What a form shows after a refusal: the message, and what was typed (React resets a form after its action). */
export type AuthFormState = { readonly error: string | null; readonly sentTo?: string; readonly email?: string; readonly name?: string };

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

async function call(path: string, body: object): Promise<EndpointAnswer> {
  const answer = await callAuthEndpoint(path, body, await headers());
  const store = await cookies();
  for (const { name, value, ...options } of answer.cookies) store.set(name, value, options);
  return answer;
}

function refusal(answer: EndpointAnswer, typed: { email: string; name?: string }): AuthFormState {
  return { error: authMessage({ status: answer.status, code: answer.body?.code, message: answer.body?.message }), ...typed };
}

export async function signInWithPassword(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, 'email');
  const answer = await call('/sign-in/email', { email, password: String(form.get('password') ?? '') });
  if (answer.status !== 200) return refusal(answer, { email });
  redirect(safeReturnTo(form.get('returnTo')));
}

export async function signUp(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const name = text(form, 'name');
  const email = text(form, 'email');
  if (!name) return { error: 'Please enter your name.', email };
  if (name.length > 100) return { error: 'Please enter a name of at most 100 characters.', email, name };
  const answer = await call('/sign-up/email', { name, email, password: String(form.get('password') ?? '') });
  if (answer.status !== 200) return refusal(answer, { email, name });
  redirect(safeReturnTo(form.get('returnTo')));
}

export async function sendMagicLink(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, 'email');
  const returnTo = safeReturnTo(form.get('returnTo'));
  const answer = await call('/sign-in/magic-link', { email, callbackURL: returnTo, newUserCallbackURL: returnTo, errorCallbackURL: '/sign-in' });
  if (answer.status !== 200) return refusal(answer, { email });
  return { error: null, sentTo: email };
}

export async function signOut(): Promise<void> {
  await call('/sign-out', {});
  redirect('/');
}
