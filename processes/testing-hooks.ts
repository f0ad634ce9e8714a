import { afterAll, beforeAll } from 'vitest';
import type { TestContext } from '@/db/testing-hooks';
import { startPaymentGateway, type PaymentGateway, type PaymentGatewayOptions } from '@/services/payment-gateway';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '@/services/payment-gateway/client';

/*
 * The vitest side of ./testing.ts, kept apart from it because the crashing worker imports that file outside
 * any test.
 */

/**
 * A real payment gateway for the calling spec file, over HTTP, its tables in the file's test database; readable
 * once `beforeAll` has run. The timeout card's request is held 2 s, and the client gives up after 1 s: short, so
 * the card costs the suite little, yet long enough that a quick call (a card's token) answers in time on a
 * loaded machine (a 250 ms timeout once failed a token request there). A spec that sets its own client
 * timeout at or above the hold sets the hold too, and then hears the gateway's 504 instead.
 */
export function useGateway(
  ctx: TestContext,
  options: Omit<PaymentGatewayOptions, 'sql'> & { clientTimeoutMs?: number } = {},
): { readonly gateway: PaymentGateway; readonly payments: PaymentGatewayClient; restart(): Promise<void> } {
  const { clientTimeoutMs = 1_000, ...gatewayOptions } = options;
  let gateway: PaymentGateway | undefined;
  let payments: PaymentGatewayClient | undefined;
  beforeAll(async () => {
    gateway = await startPaymentGateway({ sql: ctx.db.sql, timeoutHoldMs: 2_000, ...gatewayOptions });
    payments = createPaymentGatewayClient({ baseUrl: gateway.url, timeoutMs: clientTimeoutMs });
  });
  afterAll(() => gateway?.close());
  return {
    get gateway() {
      if (!gateway) throw new Error('the gateway starts in beforeAll');
      return gateway;
    },
    get payments() {
      if (!payments) throw new Error('the gateway starts in beforeAll');
      return payments;
    },
    /** Starts a stopped gateway again on the same port, so the client finds it where it was. */
    async restart() {
      const port = Number(new URL(this.gateway.url).port);
      gateway = await startPaymentGateway({ sql: ctx.db.sql, timeoutHoldMs: 2_000, ...gatewayOptions, port });
    },
  };
}
