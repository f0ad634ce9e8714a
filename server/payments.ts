import type { Database } from '@/db/client';
import { startPaymentGateway } from '@/services/payment-gateway';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '@/services/payment-gateway/client';
import { serverDatabase } from './db';
import { env } from './env';
import { logger } from './logger';

export type PaymentsConnection = { readonly url: string; readonly client: PaymentGatewayClient; close(): Promise<void> };

/**
 * A process's way to the payment gateway. With PAYMENTS_URL, the gateway's own process (`npm run payments`).
 * Without it (zero setup, or a developer who did not start one) the simulator runs inside this process, on a
 * loopback port, over the shop's database (its tables in the schema `payment_gateway`): processes that do so
 * share those tables, so a charge is still made once. The shop reaches it over HTTP either way.
 */
export async function connectPayments(db: Database): Promise<PaymentsConnection> {
  if (env.PAYMENTS_URL) {
    return gatewayAt(env.PAYMENTS_URL);
  }
  const gateway = await startPaymentGateway({ sql: db.sql, logger: logger.child({ process: 'payments' }) });
  logger.info({ url: gateway.url }, 'payment gateway simulator running in this process');
  return { ...gatewayAt(gateway.url), close: () => gateway.close() };
}

function gatewayAt(url: string): PaymentsConnection {
  return { url, client: createPaymentGatewayClient({ baseUrl: url, timeoutMs: env.PAYMENTS_TIMEOUT_MS }), close: async () => {} };
}

/**
 * The gateway's address is kept on globalThis, across development reloads and across Next.js's bundles (a
 * simulator this process runs must start once); the client is made by each bundle's own copy of this module,
 * so that the errors it throws are the classes server/trpc/init.ts maps to 503 and 400 (see server/db.ts).
 */
const globalForPayments = globalThis as unknown as { hindsightPaymentsUrl?: Promise<string> };
let ownClient: Promise<PaymentsConnection> | undefined;

/**
 * The web server's gateway when it runs the simulator itself, on this thread or another (zero setup:
 * server/main/web.ts); it is reached over HTTP like any other.
 */
export function rememberServerPayments(url: string): void {
  globalForPayments.hindsightPaymentsUrl = Promise.resolve(url);
}

/** The web server's way to the gateway: PAYMENTS_URL, or a simulator it starts on first use. */
export function serverPayments(): Promise<PaymentsConnection> {
  globalForPayments.hindsightPaymentsUrl ??= env.PAYMENTS_URL
    ? Promise.resolve(env.PAYMENTS_URL)
    : serverDatabase().then(({ db }) => connectPayments(db)).then((connection) => connection.url);
  ownClient ??= globalForPayments.hindsightPaymentsUrl.then(gatewayAt);
  return ownClient;
}
