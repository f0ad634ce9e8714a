import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SqlExecutor } from '@/db/sql';

/**
 * The session lookup of an ordinary signed-in request, without better-auth's endpoint around it: the same
 * checks, one indexed read of the same tables, every time, so signing out (or an operator deleting a
 * session) still takes effect on the next request. Profiled, `auth.api.getSession` was the largest cost a
 * command had beyond the framework's own: its endpoint machinery (router, hooks, cookie context), an
 * HMAC key imported through WebCrypto for every request, and the adapter's query built through drizzle.
 *
 * It answers only the common case and leaves every other one to better-auth, which then does what it
 * always did: no session cookie (a guest) is no viewer; a session that is missing, expired or due to be
 * extended (its expiry moves on once a day, with a fresh cookie), a cookie that is not signed with the
 * secret, a "don't remember me" cookie or a session-data cookie all go to `auth.api.getSession`.
 */
export type SessionLookupConfig = {
  readonly sql: SqlExecutor;
  readonly secret: string;
  /** better-auth's cookie names (prefix included), from its context. */
  readonly cookies: { readonly sessionToken: string; readonly dontRemember: string; readonly sessionData: string };
  /** better-auth's session settings, in seconds. */
  readonly expiresIn: number;
  readonly updateAge: number;
};

export type SessionUser = { id: string; name: string; email: string; role: string };

/** The signed-in user, `null` for a request without a session cookie, or `'ask better-auth'`. */
export type SessionLookup = (headers: Headers) => Promise<SessionUser | null | 'ask better-auth'>;

export function sessionLookup(config: SessionLookupConfig): SessionLookup {
  const { sql, secret, cookies } = config;
  return async (headers) => {
    const header = headers.get('cookie');
    if (!header) return null;
    const jar = parseCookies(header);
    if (jar.has(cookies.dontRemember) || [...jar.keys()].some((name) => name.startsWith(cookies.sessionData))) return 'ask better-auth';
    const signed = jar.get(cookies.sessionToken);
    if (!signed) return null;
    const token = verifiedToken(signed, secret);
    if (!token) return 'ask better-auth';
    const [row] = await sql.query<SessionUser & { expiresAtMs: number }>(
      `select (extract(epoch from s.expires_at) * 1000)::float8 as "expiresAtMs", u.id::text as id, u.name, u.email, u.role
       from auth.session s join auth."user" u on u.id = s.user_id
       where s.token = $1`,
      [token],
    );
    if (!row) return 'ask better-auth';
    const now = Date.now();
    // As better-auth decides: expired, or old enough that its expiry moves on (and the cookie with it).
    const dueForRefresh = row.expiresAtMs - config.expiresIn * 1000 + config.updateAge * 1000 <= now;
    if (row.expiresAtMs < now || dueForRefresh) return 'ask better-auth';
    return { id: row.id, name: row.name, email: row.email, role: row.role };
  };
}

/**
 * The session token of a cookie value `token.signature`, when the signature is the token's HMAC-SHA256 under
 * the secret (base64, as better-call signs it); else null.
 */
function verifiedToken(value: string, secret: string): string | null {
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return null;
  // Compared as text: exactly the signature better-call makes, not any other spelling of the same bytes.
  const expected = Buffer.from(createHmac('sha256', secret).update(token).digest('base64'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

/** A Cookie header as better-call reads it: the first of a name wins, values URI-decoded where they decode. */
function parseCookies(header: string): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (jar.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // Kept as sent, as better-call keeps a value that does not decode.
    }
    jar.set(name, value);
  }
  return jar;
}
