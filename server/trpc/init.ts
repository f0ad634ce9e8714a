/**
 * The one tRPC setup: 1. context, 2. initialisation and error mapping, 3. the procedures routers build on.
 */
import { createHash, randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import type { IntegrationTransport } from '@/contracts';
import type { Database } from '@/db/client';
import { isDatabaseUnavailable } from '@/db/unavailable';
import { ConcurrencyError, IdempotencyKeyReusedError, type EventStore } from '@/db/event-store';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { serverDatabase } from '@/server/db';
import { brokerPublisher } from '@/server/broker';
import { serverPayments } from '@/server/payments';
import { serverSearch, type Search } from '@/server/search';
import { metrics } from '@/server/telemetry/metrics';
import { tracer } from '@/server/telemetry/tracing';
import {
  PaymentGatewayError,
  PaymentGatewayRejectedError,
  type PaymentGatewayClient,
} from '@/services/payment-gateway/client';
import { maxCallsPerBatch } from '@/common/api-limits';
import { readableIssues } from '@/common/readable-issues';
import { correlationIdPattern } from '@/common/log-ids';
import { customerStreamId, DomainError } from '@/domain';
import { serverAuth, viewerOf, type Auth, type Viewer } from '@/server/auth';
import { ensureCustomerRegistered } from '@/server/auth/customers';
import { findOpenCartId } from '@/projections/carts/query';
import { cartCookie, cookieHeader, guestCookie, readIdCookie, sessionCookie, type SessionCookie } from './cookies';
import { isCrossSite } from './cross-site';

// 1. Context ---------------------------------------------------------------------------------------------

/** What a server action sets cookies through: Next.js's cookie store, as `cookies()` from next/headers gives it. */
export type CookieStore = { set(cookie: SessionCookie): unknown };

/** How the cookies a call sets reach the browser: Set-Cookie response headers over HTTP, or the cookie store. */
type CookieOutlet = { resHeaders: Headers; cookieStore?: never } | { cookieStore: CookieStore; resHeaders?: never };

export type CreateContextOptions = CookieOutlet & {
  headers: Headers;
  /** Defaults to the server's pool; integration tests pass their own database. */
  database?: { db: Database; store: EventStore };
  /** Defaults to the server's sign-in; integration tests pass one over their own database. */
  auth?: Auth;
  /** Defaults to the server's Elasticsearch client; integration tests pass their own indices. */
  search?: Search;
  /** Defaults to the server's payment gateway; integration tests pass a gateway of their own. */
  payments?: PaymentGatewayClient;
  /** Defaults to the server's connection to the broker (`brokerPublisher`); integration tests pass their stream's. */
  broker?: IntegrationTransport | null;
  /** The HTTP edge's id for this request (server/trpc/http.ts); a fresh one for calls that did not come over HTTP. */
  requestId?: string;
};

export async function createTRPCContext(options: CreateContextOptions) {
  const { db, store } = options.database ?? (await serverDatabase());
  const auth = options.auth ?? (await serverAuth());
  return {
    requestId: options.requestId ?? randomUUID(),
    db,
    store,
    search: options.search ?? serverSearch(),
    /** Asked for only by checkout: a page that never charges never starts the in-process gateway. */
    payments: async (): Promise<PaymentGatewayClient> => options.payments ?? (await serverPayments()).client,
    /** Asked for only by a dead letter's retry: what publishes a message to the broker again, if anything here can. */
    broker: (): IntegrationTransport | null => (options.broker !== undefined ? options.broker : brokerPublisher()),
    /**
     * Who is signed in (their session cookie, checked against the sessions table), or null. Asked for only by
     * procedures that need to know: a catalog page for a guest costs no session lookup.
     */
    viewer: once(() => viewerOf(auth, options.headers)),
    /** A shopper who has not signed in: the id their cart is kept under until they do. */
    guestId: readIdCookie(options.headers, guestCookie),
    cartId: readIdCookie(options.headers, cartCookie),
    correlationId: correlationIdFrom(options.headers),
    /** Whether the request came from a page of another site (server/trpc/cross-site.ts). */
    crossSite: isCrossSite(options.headers),
    setCookie: cookieSetter(options),
  };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
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
  return given && correlationIdPattern.test(given) ? given : randomUUID();
}

// 2. Initialisation -------------------------------------------------------------------------------------

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const issues = validationIssues(error.cause);
    // Never a stack, and never the words of a failure inside the server: those can carry SQL, its parameters
    // or the search cluster's internals. The log has them, under the request id the message names.
    const { stack: _stack, ...data } = shape.data;
    const requestId = ctx?.requestId ?? null;
    return { ...shape, message: clientMessage(error, issues, requestId), data: { ...data, requestId, issues } };
  },
});

/** What the client is told: our own message for a refusal, a sentence per refused field for invalid input. */
function clientMessage(error: TRPCError, issues: Issue[] | null, requestId: string | null): string {
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    return `Something went wrong on our side. If it keeps happening, please quote request ${requestId ?? 'id unknown'}.`;
  }
  if (error.code === 'PARSE_ERROR') return 'The request could not be read: its input is not valid JSON for this API.';
  // tRPC's own words for a batch over the edge's limit (server/trpc/http.ts).
  if (error.message === 'Batch call exceeds maximum size') return `A request may batch at most ${maxCallsPerBatch} calls.`;
  if (issues && issues.length > 0) return readableIssues(issues);
  return error.message;
}

type Issue = { path: string; message: string };

/** The zod issues of a rejected input, as plain data the client can show next to a field. */
function validationIssues(cause: unknown): Issue[] | null {
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
  // The database down, restarting or out of connections is the backend's state, not a fault of the call.
  if (isDatabaseUnavailable(cause)) {
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The shop cannot reach its database just now. Please try again in a moment.', cause });
  }
  return result;
});

// 3. Procedures -----------------------------------------------------------------------------------------

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The edge's check of what a call carries, before anything reads it: a command's fingerprint, the input
 * schemas, the database. The API takes plain JSON values only; superjson (the transformer) would also
 * rebuild a BigInt, a Date, a Map or a Set from the request, which no procedure takes and which broke the
 * fingerprint's JSON (a 500). PostgreSQL cannot store a NUL character or half of a UTF-16 surrogate pair in
 * text or jsonb, and a string carrying one failed deep in a statement, as a 500 with the database's message.
 * The input's size is bounded by the body's (server/trpc/http.ts), its depth here.
 */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const maxInputDepth = 12;

export function inputProblem(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return unstorable.test(value) ? 'Text may not contain NUL characters or broken Unicode.' : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'Numbers must be finite.';
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  if (typeof value !== 'object') return `The API takes plain JSON values, not a ${typeof value}.`;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
    return `The API takes plain JSON values, not a ${(value as object).constructor?.name ?? 'special object'}.`;
  }
  if (depth >= maxInputDepth) return 'The input is nested too deeply.';
  for (const [key, item] of Object.entries(value)) {
    if (unstorable.test(key)) return 'Text may not contain NUL characters or broken Unicode.';
    const problem = inputProblem(item, depth + 1);
    if (problem) return problem;
  }
  return null;
}

const refuseUnacceptableInput = t.middleware(async function refuseUnacceptableInput({ getRawInput, next }) {
  const problem = inputProblem(await getRawInput());
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: problem });
  return next();
});

/**
 * Every call counted, timed and traced by procedure (server/telemetry/), outermost so that it sees the code
 * the client is answered with: a refused input or a mapped domain error as well as a success.
 */
const measureProcedure = t.middleware(async function measureProcedure({ ctx, path, type, next }) {
  const { trpcRequests, trpcDuration } = metrics();
  const end = trpcDuration.startTimer({ procedure: path, type });
  return tracer().startActiveSpan(path, { kind: SpanKind.SERVER }, async (span) => {
    span.setAttributes({
      'rpc.system': 'trpc',
      'rpc.method': path,
      'hindsight.procedure.type': type,
      'hindsight.request_id': ctx.requestId,
      'hindsight.correlation_id': ctx.correlationId,
    });
    try {
      const result = await next();
      const code = result.ok ? 'OK' : result.error.code;
      trpcRequests.inc({ procedure: path, type, code });
      span.setAttribute('rpc.trpc.code', code);
      if (!result.ok && result.error.code === 'INTERNAL_SERVER_ERROR') span.setStatus({ code: SpanStatusCode.ERROR });
      return result;
    } finally {
      end();
      span.end();
    }
  });
});

/** Anyone may call it: read-model queries that are not about one customer. */
export const publicProcedure = t.procedure.use(measureProcedure).use(refuseUnacceptableInput).use(mapDomainErrors);

/**
 * Mutations from pages of this site only. A browser sends the session cookie with a form another site posts
 * here (SameSite=Lax keeps it from cross-site POSTs in today's browsers, not in every browser); this refuses
 * such a call before it does anything, by the Fetch Metadata and Origin headers every current browser sends.
 * Calls without them (server actions, scripts, tests) are not from a browser page of another site.
 */
export const sameSiteMutation = publicProcedure.use(async function refuseCrossSite({ ctx, type, next }) {
  if (type === 'mutation' && ctx.crossSite) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This request came from another site, so it was refused.' });
  }
  return next();
});

/**
 * Someone shopping, signed in or not: `shopperId` is the customer's id, or the guest cookie's, or null for a
 * guest who has no cart yet (`newGuestId()` gives them one). `cartId` is the cookie's cart, or else the open
 * cart the shopper last used from another device.
 */
export const shopperProcedure = sameSiteMutation.use(async function identifyShopper({ ctx, next }) {
  const viewer = await ctx.viewer();
  const shopperId = viewer?.customerId ?? ctx.guestId;
  const cartId = ctx.cartId ?? (shopperId ? await findOpenCartId(ctx.db.orm, shopperId) : null);
  const newGuestId = (): string => {
    const guestId = randomUUID();
    ctx.setCookie(guestCookie, guestId);
    return guestId;
  };
  return next({ ctx: { viewer, shopperId, cartId, newGuestId } });
});

/** Needs a signed-in shopper or staff member; narrows `ctx.customerId` to theirs. */
export const customerProcedure = sameSiteMutation.use(async function requireSignedIn({ ctx, next }) {
  const viewer = await ctx.viewer();
  if (!viewer) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in first.' });
  return next({ ctx: { viewer, customerId: viewer.customerId } });
});

/** The back office: staff only. A signed-in customer gets 403, a visitor 401. */
export const staffProcedure = customerProcedure.use(async function requireStaff({ ctx, next }) {
  if (ctx.viewer.role !== 'staff') throw new TRPCError({ code: 'FORBIDDEN', message: 'This is for staff only.' });
  return next({ ctx: { staff: ctx.viewer } });
});

const idempotencyKeyInput = z.object({ idempotencyKey: z.uuid({ error: 'idempotencyKey must be a UUID chosen by the client' }) });

/**
 * The envelope every command travels in: the client's idempotency key, who sent it, and a fingerprint of the
 * request, so a key reused for something else is refused.
 */
function commandEnvelope(
  input: { idempotencyKey: string },
  context: { path: string; actor: string; correlationId: string; raw: unknown },
): CommandEnvelope {
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ path: context.path, actor: context.actor, input: withoutCard(context.raw) }))
    .digest('hex');
  return {
    idempotencyKey: input.idempotencyKey,
    requestHash,
    correlationId: context.correlationId,
    actor: context.actor,
    source: 'web',
    now: new Date(),
  };
}

/**
 * A mutation that dispatches a command for a signed-in customer. The account is theirs; their registration
 * in the log is made sure of here (it is appended when the account is created, and again here if that
 * append was lost), so every command acts for a customer the log knows.
 */
export const commandProcedure = customerProcedure
  .input(idempotencyKeyInput)
  .use(async function requireRegisteredCustomer({ ctx, next }) {
    if (!isKnownRegistered(ctx.store, ctx.customerId)) {
      const registered = await ctx.store.readStream(customerStreamId(ctx.customerId), { to: 1 });
      if (registered.length === 0) await ensureCustomerRegistered(ctx.store, ctx.viewer);
      rememberRegistered(ctx.store, ctx.customerId);
    }
    return next();
  })
  .use(async function withCommandEnvelope({ ctx, input, path, getRawInput, next }) {
    const envelope = commandEnvelope(input, { path, actor: `customer:${ctx.customerId}`, correlationId: ctx.correlationId, raw: await getRawInput() });
    return next({ ctx: { envelope } });
  });

/** A cart command, by a customer or a guest (`actor` says which). */
export const shopperCommandProcedure = shopperProcedure.input(idempotencyKeyInput).use(async function withShopperEnvelope({
  ctx,
  input,
  path,
  getRawInput,
  next,
}) {
  const actor = ctx.viewer ? `customer:${ctx.viewer.customerId}` : `guest:${ctx.shopperId ?? 'new'}`;
  const envelope = commandEnvelope(input, { path, actor, correlationId: ctx.correlationId, raw: await getRawInput() });
  return next({ ctx: { envelope } });
});

/** A back-office command: the actor is the staff member, so the log says who repriced what. */
export const staffCommandProcedure = staffProcedure.input(idempotencyKeyInput).use(async function withStaffEnvelope({
  ctx,
  input,
  path,
  getRawInput,
  next,
}) {
  const envelope = commandEnvelope(input, { path, actor: `staff:${ctx.staff.customerId}`, correlationId: ctx.correlationId, raw: await getRawInput() });
  return next({ ctx: { envelope } });
});

export type { Viewer };

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
