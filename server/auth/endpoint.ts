import { serverAuth } from './index';

export type EndpointAnswer = {
  readonly status: number;
  /** better-auth's JSON body: `{ code, message }` when it refused. */
  readonly body: { code?: string; message?: string; url?: string } | null;
  readonly cookies: readonly ParsedCookie[];
  readonly location: string | null;
};

export type ParsedCookie = {
  name: string;
  value: string;
  path?: string;
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
};

/**
 * Calls one of better-auth's endpoints the way the browser would over HTTP, from a server action: through its
 * request handler, so the attempt limit, the origin check and the after-sign-in hook (the guest's cart) all
 * apply, which a direct `auth.api` call would skip. The caller's client address, cookies and origin travel
 * with it; the cookies it answers with are handed back for the action to set.
 */
export async function callAuthEndpoint(path: string, body: object, from: Headers): Promise<EndpointAnswer> {
  const auth = await serverAuth();
  const host = from.get('x-forwarded-host') ?? from.get('host') ?? 'localhost';
  const protocol = from.get('x-forwarded-proto') ?? 'http';
  const origin = `${protocol}://${host}`;
  const headers = new Headers({ 'content-type': 'application/json', origin });
  for (const name of ['cookie', 'x-forwarded-for', 'x-real-ip', 'user-agent']) {
    const value = from.get(name);
    if (value) headers.set(name, value);
  }
  const response = await auth.handler(new Request(`${origin}/api/auth${path}`, { method: 'POST', headers, body: JSON.stringify(body) }));
  const text = await response.text();
  let parsed: EndpointAnswer['body'] = null;
  try {
    parsed = text ? (JSON.parse(text) as EndpointAnswer['body']) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, cookies: response.headers.getSetCookie().map(parseSetCookie), location: response.headers.get('location') };
}

/** One Set-Cookie header, in the shape Next.js's cookie store takes. */
export function parseSetCookie(header: string): ParsedCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const equals = pair.indexOf('=');
  const cookie: ParsedCookie = { name: pair.slice(0, equals), value: decodeURIComponent(pair.slice(equals + 1)) };
  for (const attribute of attributes) {
    const [key = '', ...rest] = attribute.split('=');
    const value = rest.join('=');
    switch (key.toLowerCase()) {
      case 'path':
        cookie.path = value;
        break;
      case 'max-age':
        cookie.maxAge = Number(value);
        break;
      case 'expires':
        cookie.expires = new Date(value);
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'samesite':
        cookie.sameSite = value.toLowerCase() as ParsedCookie['sameSite'];
        break;
    }
  }
  return cookie;
}
