import { randomUUID } from 'node:crypto';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createAuthMiddleware } from 'better-auth/api';
import { magicLink } from 'better-auth/plugins';
import type { Database } from '@/db/client';
import type { EventStore } from '@/db/event-store';
import type { SqlExecutor } from '@/db/sql';
import * as authTables from '@/db/schema/auth';
import type { Mailer } from '@/reactors/notifications/mailer';
import { logger } from '@/server/logger';
import { cartCookie, guestCookie, readIdCookie, sessionCookie } from '@/server/trpc/cookies';
import { ensureCustomerRegistered } from './customers';
import { joinGuestCart } from './guest-cart';
import { magicLinkMail, magicLinkValidMinutes } from './mail';
import { sessionLookup, type SessionLookup } from './session-lookup';

/**
 * Sign-in, by better-auth: sign-up and sign-in by email and password, sign-in by a magic link mailed
 * through the shop's mailer, sessions in the database (the `auth` schema), attempts rate-limited there too.
 *
 * The library holds credentials and sessions; the event log holds the shop's facts. A new account's user id
 * is the customer's id, and creating the user appends `CustomerRegistered` to `customer-<id>` (see
 * ./customers.ts), so everything downstream (the customers read model, the orders, the mail) sees a customer
 * as it always did.
 */

export type Role = 'customer' | 'staff';

/** Who a request is from, as the tRPC context and the pages see it. */
export type Viewer = { customerId: string; name: string; email: string; role: Role };

export type AuthOptions = {
  database: { db: Database; store: EventStore };
  /** Where the magic link goes: SMTP, or the development mailbox. */
  mailer: Mailer;
  /** Signs session cookies. */
  secret: string;
  /**
   * The shop's public URL, for the links in mail and the origin check. Unset: the host each request came to,
   * if it is this machine (localhost or a loopback address, any port: the end-to-end suites run on their own),
   * else `localURL`. Never any host a request names: a sign-in link built from a forged Host header would mail
   * the victim a link to the forger's site, and with it the token.
   */
  baseURL?: string;
  /** Where links point when `baseURL` is unset and a request came to another host. */
  localURL?: string;
  /** Sign-in attempts allowed per client per minute; the rest get 429 until the minute is over. */
  signInAttemptsPerMinute?: number;
};

export function createAuth(options: AuthOptions) {
  const { db, store } = options.database;
  const attempts = options.signInAttemptsPerMinute ?? 10;
  const config = {
    appName: 'Hindsight',
    // Into the shop's own structured log: a refused password is routine, so it is not printed to the console.
    logger: {
      log: (level: 'debug' | 'info' | 'success' | 'warn' | 'error', message: string, ...args: unknown[]) => {
        logger[level === 'success' ? 'info' : level === 'warn' ? 'info' : level]({ args, component: 'auth' }, message);
      },
    },
    secret: options.secret,
    baseURL: options.baseURL ?? {
      allowedHosts: ['localhost', 'localhost:*', '127.0.0.1', '127.0.0.1:*', '[::1]', '[::1]:*'],
      fallback: options.localURL ?? 'http://localhost:3000',
      protocol: 'http',
    },
    basePath: '/api/auth',
    database: drizzleAdapter(db.orm, { provider: 'pg', schema: authTables }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    user: {
      additionalFields: {
        // Never from a sign-up form: staff are made by the seed or an operator, not by asking.
        role: { type: 'string', required: false, defaultValue: 'customer', input: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 30,
      updateAge: 60 * 60 * 24,
    },
    advanced: {
      // The user's id becomes the customer's stream id, so it is a UUID like every other id in the log.
      database: { generateId: () => randomUUID() },
      cookiePrefix: 'hindsight',
    },
    rateLimit: {
      // On in every mode, not only in production: the limit is part of what the suite checks.
      enabled: true,
      storage: 'database',
      modelName: 'rateLimit',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: 60, max: attempts },
        '/sign-up/email': { window: 60, max: attempts },
        '/sign-in/magic-link': { window: 60, max: attempts },
        '/magic-link/verify': { window: 60, max: attempts },
      },
    },
    databaseHooks: {
      user: {
        create: {
          // The customer exists in the log once its account does: registration is a command like any other.
          after: async (user) => {
            await ensureCustomerRegistered(store, { customerId: user.id, name: user.name, email: user.email });
          },
        },
      },
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        const headers = ctx.headers ?? new Headers();
        const setShopCookie = (name: string, value: string | null) => {
          const { value: cookieValue, ...attributes } = sessionCookie(name, value);
          ctx.setCookie(name, cookieValue, { ...attributes, sameSite: 'lax' });
        };
        if (ctx.path === '/sign-out') {
          // The cart was the account's: the next shopper on this browser starts as a guest with none.
          setShopCookie(cartCookie, null);
          setShopCookie(guestCookie, null);
          return;
        }
        const signedIn = ctx.context.newSession;
        if (!signedIn) return;
        try {
          const cartId = await joinGuestCart(
            { orm: db.orm, store },
            {
              guestId: readIdCookie(headers, guestCookie),
              cartId: readIdCookie(headers, cartCookie),
              customerId: signedIn.user.id,
              sessionId: signedIn.session.id,
            },
          );
          setShopCookie(cartCookie, cartId);
          setShopCookie(guestCookie, null);
        } catch (error) {
          // Signing in matters more than the guest's cart: it stays the guest's, and the account's is found anyway.
          logger.error({ err: error, customerId: signedIn.user.id }, "could not move the guest's cart to the account");
        }
      }),
    },
    plugins: [
      magicLink({
        expiresIn: 60 * magicLinkValidMinutes,
        // Only the hash is stored: whoever reads the verification table cannot sign in with it.
        storeToken: 'hashed',
        sendMagicLink: async ({ email, url, token }) => {
          await options.mailer.send(magicLinkMail({ email, url, token }));
        },
      }),
    ],
  } satisfies BetterAuthOptions;
  const auth = betterAuth(config);
  sessionDatabases.set(auth, db.sql);
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

/** The database each sign-in keeps its sessions in, for the lookup of ordinary requests (./session-lookup.ts). */
const sessionDatabases = new WeakMap<Auth, SqlExecutor>();
const sessionLookups = new WeakMap<Auth, Promise<SessionLookup>>();

/** The lookup, made once per sign-in from better-auth's own resolved settings (cookie names, secret, ages). */
export function sessionLookupOf(auth: Auth): Promise<SessionLookup> | null {
  const sql = sessionDatabases.get(auth);
  if (!sql) return null;
  let lookup = sessionLookups.get(auth);
  if (!lookup) {
    lookup = auth.$context.then((context) =>
      sessionLookup({
        sql,
        secret: context.secret,
        cookies: {
          sessionToken: context.authCookies.sessionToken.name,
          dontRemember: context.authCookies.dontRememberToken.name,
          sessionData: context.authCookies.sessionData.name,
        },
        expiresIn: context.sessionConfig.expiresIn,
        updateAge: context.sessionConfig.updateAge,
      }),
    );
    sessionLookups.set(auth, lookup);
  }
  return lookup;
}

/**
 * The viewer a request's session cookie names, or null (no cookie, expired, signed out, tampered with). The
 * ordinary case is looked up directly (./session-lookup.ts says why and what it leaves to better-auth).
 */
export async function viewerOf(auth: Auth, headers: Headers): Promise<Viewer | null> {
  const lookup = sessionLookupOf(auth);
  const direct = lookup ? await (await lookup)(headers) : 'ask better-auth';
  const user = direct === 'ask better-auth' ? ((await auth.api.getSession({ headers }))?.user ?? null) : direct;
  if (!user) return null;
  return { customerId: user.id, name: user.name, email: user.email, role: user.role === 'staff' ? 'staff' : 'customer' };
}
