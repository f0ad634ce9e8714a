/** The demo session lives in two cookies until real sign-in arrives: who is shopping, and their open cart. */
export const customerCookie = 'hindsight_customer';
export const cartCookie = 'hindsight_cart';

export function readCookie(headers: Headers, name: string): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

export function cookieHeader(name: string, value: string | null): string {
  const base = `${name}=${value ? encodeURIComponent(value) : ''}; Path=/; SameSite=Lax; HttpOnly`;
  return value ? `${base}; Max-Age=${60 * 60 * 24 * 30}` : `${base}; Max-Age=0`;
}
