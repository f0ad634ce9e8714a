/** The demo session lives in two cookies until real sign-in arrives: who is shopping, and their open cart. */
export const customerCookie = 'hindsight_customer';
export const cartCookie = 'hindsight_cart';

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

export function cookieHeader(name: string, value: string | null): string {
  const base = `${name}=${value ? encodeURIComponent(value) : ''}; Path=/; SameSite=Lax; HttpOnly`;
  return value ? `${base}; Max-Age=${60 * 60 * 24 * 30}` : `${base}; Max-Age=0`;
}
