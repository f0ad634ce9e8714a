import type { z } from 'zod';
import {
  PaymentGatewayRejectedError,
  PaymentGatewayTimeoutError,
  PaymentGatewayUnavailableError,
} from './client-errors';
import {
  chargeAnswerSchema,
  errorAnswerSchema,
  ledgerAnswerSchema,
  refundAnswerSchema,
  storedChargeSchema,
  tokenizeAnswerSchema,
  type ChargeAnswer,
  type LedgerAnswer,
  type RefundAnswer,
  type StoredCharge,
  type TokenizeAnswer,
} from './contract';
import { tracedCall } from './tracing';

/**
 * The one way the shop talks to the payment gateway: over HTTP, with a timeout on every call, each answer checked
 * against the contract. Transport failures are typed (client-errors.ts); business outcomes (a decline, a charge not
 * found) are results, not errors.
 */

export {
  PaymentGatewayError,
  PaymentGatewayRejectedError,
  PaymentGatewayTimeoutError,
  PaymentGatewayUnavailableError,
} from './client-errors';
export { testCards, type CardBehaviour, type TestCard } from './test-cards';
export type { DeclineReason, RiskLevel } from './contract';

export type PaymentGatewayClientOptions = {
  /** Such as http://127.0.0.1:4100. */
  readonly baseUrl: string;
  /** For each call as a whole, answer included. */
  readonly timeoutMs: number;
};

export type Card = { readonly number: string; readonly expiry: string; readonly cvc: string };
export type CardToken = TokenizeAnswer;
export type ChargeInput = {
  readonly idempotencyKey: string;
  readonly token: string;
  readonly amountCents: number;
  readonly currency: string;
};
export type RefundInput = { readonly idempotencyKey: string; readonly chargeKey: string; readonly amountCents: number };
export type ChargeResult = ChargeAnswer;
export type ChargeLookup = StoredCharge | { readonly status: 'not_found'; readonly idempotencyKey: string };
export type Refund = RefundAnswer;
export type Ledger = LedgerAnswer;

export type PaymentGatewayClient = {
  tokenize(card: Card): Promise<CardToken>;
  /** Captured or declined. A timeout or an unavailable gateway throws: retry with the same key, then look it up. */
  charge(input: ChargeInput): Promise<ChargeResult>;
  refund(input: RefundInput): Promise<Refund>;
  lookupCharge(idempotencyKey: string): Promise<ChargeLookup>;
  ledger(): Promise<Ledger>;
};

type Call = {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The path as its route names it, for the trace (`/v1/charges/{idempotencyKey}`); the path itself by default. */
  readonly route?: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
};
type Reply = { readonly status: number; readonly json: unknown };

export function createPaymentGatewayClient(options: PaymentGatewayClientOptions): PaymentGatewayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function send(call: Call): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    try {
      const url = `${baseUrl}${call.path}`;
      return await tracedCall({ method: call.method, route: call.route ?? call.path, url }, headers, async () => {
        const response = await fetch(url, {
          method: call.method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const text = await response.text();
        return { status: response.status, json: parseJson(text) };
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        const message = `${call.method} ${call.path}: no answer within ${options.timeoutMs} ms`;
        throw new PaymentGatewayTimeoutError(message, { cause: error });
      }
      const message = `${call.method} ${call.path}: ${describe(error)}`;
      throw new PaymentGatewayUnavailableError(message, undefined, { cause: error });
    }
  }

  /** The answer as `schema` reads it when its status is one of `expected`; a typed error otherwise. */
  async function ask<Schema extends z.ZodType>(call: Call, expected: readonly number[], schema: Schema) {
    const reply = await send(call);
    if (!expected.includes(reply.status)) throw failure(call, reply);
    return read(call, reply, schema);
  }

  return {
    tokenize: ({ number, expiry, cvc }) =>
      ask({ method: 'POST', path: '/v1/tokens', body: { number, expiry, cvc } }, [201], tokenizeAnswerSchema),
    charge: ({ idempotencyKey, token, amountCents, currency }) =>
      ask(
        { method: 'POST', path: '/v1/charges', idempotencyKey, body: { token, amountCents, currency } },
        [200, 402],
        chargeAnswerSchema,
      ),
    refund: ({ idempotencyKey, chargeKey, amountCents }) =>
      ask(
        { method: 'POST', path: '/v1/refunds', idempotencyKey, body: { chargeKey, amountCents } },
        [200],
        refundAnswerSchema,
      ),
    async lookupCharge(idempotencyKey) {
      const call: Call = { method: 'GET', path: `/v1/charges/${encodeURIComponent(idempotencyKey)}`, route: '/v1/charges/{idempotencyKey}' };
      const reply = await send(call);
      const notFound = reply.status === 404 && errorCode(reply) === 'charge_not_found';
      if (notFound) return { status: 'not_found', idempotencyKey };
      if (reply.status !== 200) throw failure(call, reply);
      return read(call, reply, storedChargeSchema);
    },
    ledger: () => ask({ method: 'GET', path: '/v1/ledger' }, [200], ledgerAnswerSchema),
  };
}

function read<Schema extends z.ZodType>(call: Call, reply: Reply, schema: Schema): z.infer<Schema> {
  const result = schema.safeParse(reply.json);
  if (result.success) return result.data;
  const message = `${call.method} ${call.path}: an answer not matching the contract`;
  throw new PaymentGatewayUnavailableError(message, reply.status, { cause: result.error });
}

/** A 4xx is the gateway's refusal, with its code; anything else unexpected means it could not serve the call. */
function failure(call: Call, reply: Reply): Error {
  const refusal = errorAnswerSchema.safeParse(reply.json);
  if (reply.status >= 400 && reply.status < 500) {
    return refusal.success
      ? new PaymentGatewayRejectedError(reply.status, refusal.data.error.code, refusal.data.error.message)
      : new PaymentGatewayRejectedError(reply.status, 'unknown', `${call.method} ${call.path}: ${reply.status}`);
  }
  const detail = refusal.success ? `${refusal.data.error.code}: ${refusal.data.error.message}` : `status ${reply.status}`;
  return new PaymentGatewayUnavailableError(`${call.method} ${call.path}: ${detail}`, reply.status);
}

function errorCode(reply: Reply): string | undefined {
  const refusal = errorAnswerSchema.safeParse(reply.json);
  return refusal.success ? refusal.data.error.code : undefined;
}

/** Undefined for a body that is not JSON (a proxy's HTML error page); the schemas then refuse it. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch reports every network failure as "fetch failed"; the reason (ECONNREFUSED, "other side closed") is the cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return cause ? `${error.message}: ${cause.message}${code}` : error.message;
}
