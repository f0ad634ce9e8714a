/**
 * The shop's own cookies, beside better-auth's session cookie (`hindsight.session_token`): the cart this
 * browser is filling (a shortcut: the cart is found from the account too, see `shopperProcedure`), and a
 * guest's id, under which a guest's cart is kept until they sign in and it joins their account's.
 */
export const cartCookie = 'hindsight_cart';
export const guestCookie = 'hindsight_guest';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cookie's value when it is a well-formed UUID (both cookies hold one), else null: a tampered or
 * truncated cookie reads as no cookie rather than failing the request.
 */
export function readIdCookie(headers: Headers, name: string): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    const raw = value.join('=');
    return uuid.test(raw) ? raw.toLowerCase() : null;
  }
  return null;
}

/** A session cookie with every attribute it is sent with, in the shape Next.js's cookie store also takes. */
export type SessionCookie = {
  name: string;
  value: string;
  path: '/';
  sameSite: 'lax';
  httpOnly: true;
  maxAge: number;
};

/** The cookie that sets `name` to `value`, or, for null, the one that clears it (empty, expiring now). */
export function sessionCookie(name: string, value: string | null): SessionCookie {
  return { name, value: value ?? '', path: '/', sameSite: 'lax', httpOnly: true, maxAge: value ? 60 * 60 * 24 * 30 : 0 };
}

export function cookieHeader({ name, value, maxAge }: SessionCookie): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; HttpOnly; Max-Age=${maxAge}`;
}
