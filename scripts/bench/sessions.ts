import { randomBytes } from 'node:crypto';
import { makeSignature } from 'better-auth/crypto';
import type { Orm } from '@/db/client';
import { session, user } from '@/db/schema/auth';

/** The shop under test signs sessions with this; the bench signs the ones it writes with the same. */
export const benchAuthSecret = 'hindsight-bench-secret-0123456789abcdef';

/**
 * A signed-in session for a bench customer, written straight into better-auth's tables: the generated log
 * has a thousand customers without accounts, and signing each in over HTTP would measure the password
 * hash. The cookie is what better-auth itself sets: the token, a dot and its HMAC under the secret.
 */
export async function benchSessionCookie(orm: Orm, customerId: string, secret = benchAuthSecret): Promise<string> {
  await orm
    .insert(user)
    .values({ id: customerId, name: 'Bench customer', email: `${customerId}@bench.invalid`, emailVerified: true })
    .onConflictDoNothing();
  const token = randomBytes(24).toString('base64url');
  await orm.insert(session).values({ token, userId: customerId, expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000) });
  const signature = await makeSignature(token, secret);
  return `hindsight.session_token=${encodeURIComponent(`${token}.${signature}`)}`;
}
