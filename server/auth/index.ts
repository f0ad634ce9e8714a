import { serverDatabase } from '@/server/db';
import { env } from '@/server/env';
import { logger } from '@/server/logger';
import { shopMailer } from '@/server/mail';
import { createAuth, type Auth } from './auth';

export { createAuth, viewerOf, type Auth, type Role, type Viewer } from './auth';

/**
 * Public, in this repository: it signs the sessions of a shop on a developer's machine, where AUTH_SECRET is
 * not worth asking for. Anyone can forge a session cookie signed with it.
 */
const developmentSecret = 'hindsight-development-secret-not-for-real-shoppers';

/**
 * A shop on a developer's machine: no secret of its own. It shows the demo accounts on the sign-in page and
 * lets anyone read the development mailbox; a shop with AUTH_SECRET set does neither.
 */
export function isDevelopmentShop(): boolean {
  return !env.AUTH_SECRET;
}

const globalForAuth = globalThis as unknown as { hindsightAuth?: Promise<Auth> };

/** The web server's sign-in, over its database and mailer; kept across development reloads like the pool. */
export function serverAuth(): Promise<Auth> {
  globalForAuth.hindsightAuth ??= serverDatabase().then((database) => {
    if (!env.AUTH_SECRET && env.NODE_ENV === 'production') {
      logger.warn('AUTH_SECRET is unset: sessions are signed with the public development secret; set it before real people sign in');
    }
    return createAuth({
      database,
      mailer: shopMailer(database.db.orm),
      secret: env.AUTH_SECRET ?? developmentSecret,
      baseURL: env.SHOP_URL,
      localURL: `http://localhost:${env.PORT}`,
      signInAttemptsPerMinute: env.AUTH_ATTEMPTS_PER_MINUTE,
    });
  });
  return globalForAuth.hindsightAuth;
}
