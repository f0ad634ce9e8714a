import { randomUUID } from 'node:crypto';
import { TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { expect } from 'vitest';
import type { TestContext } from '@/db/testing-hooks';
import { useShopDatabase } from '@/projections/testing';
import { projections } from '@/projections';
import { catchUp } from '@/db/consumers';
import { seedCustomers, seedProducts, seedStaff, type SeedProduct } from '@/server/seed-data';
import { createAuth, type Auth } from '@/server/auth';
import { demoPassword, seedDemoAccounts } from '@/server/auth/demo-accounts';
import { mailboxMailer } from '@/reactors/notifications/mailer';
import { listProduct } from '@/server/commands/catalog';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { registerCustomer } from '@/server/commands/customers';
import { createCaller } from '@/server/routers';
import { cartCookie, guestCookie } from '@/server/trpc/cookies';
import { handleApiRequest } from '@/server/trpc/http';
import { createTRPCContext } from '@/server/trpc/init';
import { postgresSearch } from '@/server/search';
import type { FulfillmentPolicy } from '@/domain';
import { patientPolicy, settleFulfillment } from '@/processes/testing';
import { useGateway } from '@/processes/testing-hooks';
import type { PaymentGatewayClient } from '@/services/payment-gateway/client';

/**
 * Shared by the router integration specs: callers that behave like browsers (cookies in, Set-Cookie out) on
 * a test database, searching by PostgreSQL full text whatever ELASTICSEARCH_URL says, and the staff commands
 * that give them something to shop for.
 */

/** Where the specs' checkouts ship to, as the checkout form sends it. */
export const shippingAddress = { name: 'Maya Okafor', line1: '12 Canal Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

/** The approved test card, as the checkout form sends it. */
export const card = { number: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' };

/**
 * A browser: signed in as `customerId` (a seed account: maya, liam, sofia or staff) or a guest (null, with
 * `guestId` once it has one), and the cart cookie. Tests move `cartId` along as the responses set it.
 */
export type Browser = { customerId: string | null; cartId: string | null; guestId?: string | null };

/** Signs the test sessions; any 32 characters do, as long as every caller of one database uses the same. */
export const testAuthSecret = 'hindsight-test-secret-0123456789abcdef';

/** better-auth over a test database; mail (magic links) goes to that database's mailbox. */
export function testAuth(database: TestContext, options: { signInAttemptsPerMinute?: number; baseURL?: string | null } = {}): Auth {
  return createAuth({
    database,
    mailer: mailboxMailer(database.db.orm, { from: 'Hindsight <shop@hindsight.test>' }),
    secret: testAuthSecret,
    // null: no URL of its own, as a shop without SHOP_URL runs.
    baseURL: options.baseURL === null ? undefined : (options.baseURL ?? 'http://shop.test'),
    localURL: 'http://localhost:3999',
    signInAttemptsPerMinute: options.signInAttemptsPerMinute ?? 1_000,
  });
}

/** The session cookie a sign-in answers with, as the next request's `cookie` header sends it. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((header) => header.startsWith('hindsight.session_token='));
  if (!cookie) throw new Error(`no session cookie was set: ${JSON.stringify(headers.getSetCookie())}`);
  return cookie.split(';')[0]!;
}

export type RouterHarness = ReturnType<typeof routerHarness>;

/** The calling spec file's own test database with a router harness on it, the seed customers registered. */
export function useRouterHarness(): RouterHarness {
  const ctx = useShopDatabase(() => harness.registerCustomers());
  // A real payment gateway over HTTP, its tables in the test database: checkout tokenises cards with it.
  const harness = routerHarness(ctx, useGateway(ctx, { clientTimeoutMs: 2_000, timeoutHoldMs: 600 }));
  return harness;
}

/** Reads the database, store and gateway only when called, so it can be made before `beforeAll` has run. */
function routerHarness(ctx: TestContext, gateway: { readonly payments: PaymentGatewayClient }) {
  const seed = seedProducts();
  let listed = 0;
  let auth: Auth | undefined;
  // One real sign-in per seed account and spec file: the password check is deliberately slow.
  const sessions = new Map<string, Promise<string | null>>();
  const emailOf = new Map([...seedCustomers, seedStaff].map((customer) => [customer.customerId, customer.email]));

  function sessionCookie(customerId: string): Promise<string | null> {
    let session = sessions.get(customerId);
    if (!session) {
      const email = emailOf.get(customerId);
      // Anyone else has no account: the request goes out signed out, as a forged cookie would.
      session = email
        ? harnessAuth()
            .api.signInEmail({ body: { email, password: demoPassword }, returnHeaders: true })
            .then(({ headers }) => sessionCookieOf(headers))
        : Promise.resolve(null);
      sessions.set(customerId, session);
    }
    return session;
  }

  function harnessAuth(): Auth {
    return (auth ??= testAuth(ctx));
  }

  async function cookiesOf(browser: Browser): Promise<string> {
    return [
      browser.customerId && (await sessionCookie(browser.customerId)),
      browser.guestId && `${guestCookie}=${browser.guestId}`,
      browser.cartId && `${cartCookie}=${browser.cartId}`,
    ]
      .filter(Boolean)
      .join('; ');
  }

  function backends() {
    return { database: ctx, auth: harnessAuth(), search: postgresSearch, payments: gateway.payments };
  }

  function staffEnvelope(): CommandEnvelope {
    const key = randomUUID();
    return {
      idempotencyKey: key,
      requestHash: key,
      correlationId: 'test-setup',
      actor: 'staff:test',
      source: 'test',
      now: new Date(),
    };
  }

  return {
    get store() {
      return ctx.store;
    },
    customers: { maya: seedCustomers[0]!.customerId, liam: seedCustomers[1]!.customerId, staff: seedStaff.customerId },

    get db() {
      return ctx.db;
    },

    /** The spec file's sign-in (better-auth over its database). */
    get auth(): Auth {
      return harnessAuth();
    },

    /** Another sign-in over the same database, with its own settings (a lower attempt limit). */
    authWith(options: { signInAttemptsPerMinute?: number; baseURL?: string | null }): Auth {
      return testAuth(ctx, options);
    },

    /** A caller whose request carries exactly these headers (the cookies a test got from a sign-in). */
    caller(headers: Record<string, string>) {
      return createCaller(() =>
        createTRPCContext({ headers: new Headers(headers), resHeaders: new Headers(), ...backends() }),
      );
    },

    get payments(): PaymentGatewayClient {
      return gateway.payments;
    },

    /**
     * Moves every order on as the worker would (fraud check, process, payment, warehouse) until nothing more
     * happens. With the patient policy, an order stops paid, waiting for its handover; `timersDueBy` fires
     * the timers due by then.
     */
    async fulfill(options: { policy?: FulfillmentPolicy; timersDueBy?: Date } = {}): Promise<void> {
      await settleFulfillment({ ...ctx.source, sql: ctx.db.sql }, this.payments, options.policy ?? patientPolicy, options);
    },

    /** The seed customers and staff member, in the log and with their demo accounts. */
    async registerCustomers(): Promise<void> {
      for (const customer of [...seedCustomers, seedStaff]) await registerCustomer(ctx.store, staffEnvelope(), customer);
      await seedDemoAccounts(ctx.db.orm);
    },

    /** Lists the next seed product with the given stock; each test gets products no other test touches. */
    async listProduct(initialStock: number): Promise<SeedProduct> {
      const product = { ...seed[listed++]!, initialStock };
      await listProduct(ctx.store, staffEnvelope(), product);
      return product;
    },

    /** One request from `browser`; read its response headers after the call for the cookies it set. */
    request(browser: Browser, headers: Record<string, string> = {}) {
      const resHeaders = new Headers();
      const api = createCaller(async () => {
        // A `cookie` header passed in replaces the browser's cookies (to send tampered ones).
        const requestHeaders = new Headers({ cookie: await cookiesOf(browser), ...headers });
        return createTRPCContext({ headers: requestHeaders, resHeaders, ...backends() });
      });
      return { api, resHeaders };
    },

    /**
     * One HTTP request from `browser` to `/api/trpc/<path>`, through the API's edge (server/trpc/http.ts) as
     * the web server passes it: methods, body limits, batches and the error bodies are the edge's.
     */
    async http(browser: Browser, path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      if (!headers.has('cookie')) headers.set('cookie', await cookiesOf(browser));
      return handleApiRequest(new Request(`http://localhost:3999/api/trpc/${path}`, { ...init, headers }), backends());
    },

    /**
     * Brings every read model up to the end of the log, as the worker would; search is PostgreSQL full text
     * here (Elasticsearch's read models have their own specs).
     */
    async catchUpAll(): Promise<void> {
      for (const projection of [...projections, ...postgresSearch.consumers]) await catchUp(ctx.source, projection, { batchSize: 100 });
    },

    async countEvents(where: { streamId?: string; type?: string } = {}): Promise<number> {
      const [row] = await ctx.db.sql.query<{ count: number }>(
        `select count(*)::int as count from events
         where ($1::text is null or stream_id = $1) and ($2::text is null or event_type = $2)`,
        [where.streamId ?? null, where.type ?? null],
      );
      return row!.count;
    },
  };
}

/** The cart id a response's Set-Cookie gives the browser: undefined when untouched, null when cleared. */
export function cartCookieSet(resHeaders: Headers): string | null | undefined {
  const cookie = resHeaders.getSetCookie().find((header) => header.startsWith(`${cartCookie}=`));
  if (cookie === undefined) return undefined;
  const value = cookie.slice(cartCookie.length + 1).split(';')[0]!;
  return value === '' ? null : decodeURIComponent(value);
}

/** Awaits a call that must fail and checks the tRPC error the client would get. */
export async function expectTRPCError(
  call: Promise<unknown>,
  code: TRPC_ERROR_CODE_KEY,
  message?: string | RegExp,
): Promise<TRPCError> {
  const error = await call.then(
    (result) => expect.fail(`expected ${code}, got ${JSON.stringify(result)}`),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect({ code: trpcError.code, message: trpcError.message }).toMatchObject({
    code,
    ...(message !== undefined && { message: typeof message === 'string' ? message : expect.stringMatching(message) }),
  });
  return trpcError;
}
