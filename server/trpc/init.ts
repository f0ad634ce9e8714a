/**
 * The one tRPC setup: 1. context, 2. initialisation and error mapping, 3. the procedures routers build on.
 */
import { createHash, randomUUID } from 'node:crypto';
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { ConcurrencyError, IdempotencyKeyReusedError, type EventStore } from '@/db/event-store';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { serverDatabase } from '@/server/db';
import { serverPayments } from '@/server/payments';
import { serverSearch, type Search } from '@/server/search';
import {
  PaymentGatewayError,
  PaymentGatewayRejectedError,
  type PaymentGatewayClient,
} from '@/services/payment-gateway/client';
import { customerStreamId, DomainError } from '@/domain';
import { cartCookie, cookieHeader, customerCookie, readIdCookie, sessionCookie, type SessionCookie } from './cookies';

// 1. Context ---------------------------------------------------------------------------------------------

/** What a server action sets cookies through: Next.js's cookie store, as `cookies()` from next/headers gives it. */
export type CookieStore = { set(cookie: SessionCookie): unknown };

/** How the cookies a call sets reach the browser: Set-Cookie response headers over HTTP, or the cookie store. */
type CookieOutlet = { resHeaders: Headers; cookieStore?: never } | { cookieStore: CookieStore; resHeaders?: never };

export type CreateContextOptions = CookieOutlet & {
  headers: Headers;
  /** Defaults to the server's pool; integration tests pass their own database. */
  database?: { db: Database; store: EventStore };
  /** Defaults to the server's Elasticsearch client; integration tests pass their own indices. */
  search?: Search;
  /** Defaults to the server's payment gateway; integration tests pass a gateway of their own. */
  payments?: PaymentGatewayClient;
};

export async function createTRPCContext(options: CreateContextOptions) {
  const { db, store } = options.database ?? (await serverDatabase());
  return {
    db,
    store,
    search: options.search ?? serverSearch(),
    /** Asked for only by checkout: a page that never charges never starts the in-process gateway. */
    payments: async (): Promise<PaymentGatewayClient> => options.payments ?? (await serverPayments()).client,
    customerId: readIdCookie(options.headers, customerCookie),
    cartId: readIdCookie(options.headers, cartCookie),
    correlationId: correlationIdFrom(options.headers),
    setCookie: cookieSetter(options),
  };
}

/** Sets a session cookie for the browser, or clears it when `value` is null. */
function cookieSetter({ resHeaders, cookieStore }: CookieOutlet): (name: string, value: string | null) => void {
  return (name, value) => {
    const cookie = sessionCookie(name, value);
    // Clearing is a set that expires at once, so both outlets send the same attributes either way.
    if (resHeaders) resHeaders.append('Set-Cookie', cookieHeader(cookie));
    else cookieStore.set(cookie);
  };
}

export type Context = Awaited<ReturnType<typeof createTRPCContext>>;

/** A caller may pass its own correlation id (a UUID or a short token); anything else gets a fresh one. */
function correlationIdFrom(headers: Headers): string {
  const given = headers.get('x-correlation-id');
  return given && /^[A-Za-z0-9._:-]{1,64}$/.test(given) ? given : randomUUID();
}

// 2. Initialisation -------------------------------------------------------------------------------------

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const issues = validationIssues(error.cause);
    return { ...shape, data: { ...shape.data, issues } };
  },
});

/** The zod issues of a rejected input, as plain data the client can show next to a field. */
function validationIssues(cause: unknown): { path: string; message: string }[] | null {
  if (!cause || typeof cause !== 'object' || !('issues' in cause) || !Array.isArray(cause.issues)) return null;
  return (cause.issues as { path?: PropertyKey[]; message: string }[]).map((issue) => ({
    path: (issue.path ?? []).map(String).join('.'),
    message: issue.message,
  }));
}

const codeOfDomainError: Record<DomainError['kind'], TRPC_ERROR_CODE_KEY> = {
  Validation: 'BAD_REQUEST',
  NotFound: 'NOT_FOUND',
  IllegalState: 'CONFLICT',
};

/** Domain and event-store errors become tRPC errors here, and only here. */
const mapDomainErrors = t.middleware(async function mapDomainErrors({ next }) {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: codeOfDomainError[cause.kind], message: cause.message, cause });
  }
  if (cause instanceof ConcurrencyError) {
    throw new TRPCError({ code: 'CONFLICT', message: 'Someone else changed this at the same time. Please try again.', cause });
  }
  if (cause instanceof IdempotencyKeyReusedError) {
    throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
  }
  // The gateway refused the card (a mistyped number, an expiry in the past): the shopper can fix that.
  if (cause instanceof PaymentGatewayRejectedError && cause.status < 500) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
  if (cause instanceof PaymentGatewayError) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The payment service is not answering. Nothing was charged; please try again in a moment.',
      cause,
    });
  }
  return result;
});

// 3. Procedures -----------------------------------------------------------------------------------------

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * PostgreSQL cannot store a NUL character or half of a UTF-16 surrogate pair in text or jsonb; a string
 * carrying one failed deep in a statement, as a 500 with the database's message. Every input is checked
 * here, once, before anything reads it.
 */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return unstorable.test(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => unstorable.test(key) || hasUnstorableText(item, depth + 1));
}

const refuseUnstorableText = t.middleware(async function refuseUnstorableText({ getRawInput, next }) {
  if (hasUnstorableText(await getRawInput())) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'Text may not contain NUL characters or broken Unicode.' });
  }
  return next();
});

/** Anyone may call it: read-model queries that are not about one customer. */
export const publicProcedure = t.procedure.use(refuseUnstorableText).use(mapDomainErrors);

/** Needs a demo customer to have been picked; narrows `ctx.customerId` to a string. */
export const customerProcedure = publicProcedure.use(async function requireCustomer({ ctx, next }) {
  if (!ctx.customerId) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Pick a demo customer first.' });
  return next({ ctx: { customerId: ctx.customerId } });
});

/**
 * A mutation that dispatches a command. Its input carries the client's idempotency key; the envelope built
 * here adds who sent it and a fingerprint of the request, so a key reused for something else is refused.
 */
export const commandProcedure = customerProcedure
  .input(z.object({ idempotencyKey: z.uuid({ error: 'idempotencyKey must be a UUID chosen by the client' }) }))
  .use(async function requireRegisteredCustomer({ ctx, next }) {
    // The demo cookie is only a claim: commands act for a customer only if that customer was registered.
    if (!isKnownRegistered(ctx.store, ctx.customerId)) {
      const registered = await ctx.store.readStream(customerStreamId(ctx.customerId), { to: 1 });
      if (registered.length === 0) {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Pick a demo customer first.' });
      }
      rememberRegistered(ctx.store, ctx.customerId);
    }
    return next();
  })
  .use(async function withCommandEnvelope({ ctx, input, path, getRawInput, next }) {
    const raw = await getRawInput();
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ path, customerId: ctx.customerId, input: withoutCard(raw) }))
      .digest('hex');
    const envelope: CommandEnvelope = {
      idempotencyKey: input.idempotencyKey,
      requestHash,
      correlationId: ctx.correlationId,
      actor: `customer:${ctx.customerId}`,
      source: 'web',
      now: new Date(),
    };
    return next({ ctx: { envelope } });
  });

/**
 * Card details are kept out of even the request's fingerprint, which is stored: a hash of a sixteen-digit
 * number is quickly reversed. A key reused with another card is then taken for the same checkout.
 */
function withoutCard(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || !('card' in raw)) return raw;
  const { card: _card, ...rest } = raw as Record<string, unknown>;
  return rest;
}

/**
 * Customers this process has seen registered, per event store. Registration is never undone (a customer's
 * stream has no event that reverses it), so once seen it holds for good, and a command by a known customer
 * skips the check's round trip. Bounded: when full it starts over, which costs only re-checks.
 */
const registeredCustomers = new WeakMap<EventStore, Set<string>>();
const maxRememberedCustomers = 50_000;

function isKnownRegistered(store: EventStore, customerId: string): boolean {
  return registeredCustomers.get(store)?.has(customerId) ?? false;
}

function rememberRegistered(store: EventStore, customerId: string): void {
  let known = registeredCustomers.get(store);
  if (!known || known.size >= maxRememberedCustomers) registeredCustomers.set(store, (known = new Set()));
  known.add(customerId);
}
