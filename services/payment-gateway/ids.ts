import { randomBytes } from 'node:crypto';

/**
 * `tok_`, `ch_` or `re_` and 24 random characters (144 bits): unguessable, so a token is as good as a secret and
 * collisions need not be handled.
 */
export function randomId(prefix: 'tok' | 'ch' | 're'): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}
