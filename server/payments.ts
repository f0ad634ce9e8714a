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

const globalForPayments = globalThis as unknown as { hindsightPayments?: Promise<PaymentsConnection> };

/**
 * The web server's gateway when it runs the simulator itself, on this thread or another (zero setup:
 * server/main/web.ts); it is reached over HTTP like any other.
 */
export function rememberServerPayments(url: string): void {
  globalForPayments.hindsightPayments = Promise.resolve(gatewayAt(url));
}

/** The web server's connection, kept across development reloads like the database pool. */
export function serverPayments(): Promise<PaymentsConnection> {
  globalForPayments.hindsightPayments ??= serverDatabase().then(({ db }) => connectPayments(db));
  return globalForPayments.hindsightPayments;
}
