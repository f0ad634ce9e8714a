import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, dropDatabase } from '@/db/admin';
import { connect, type Database } from '@/db/client';
import type { SqlClient } from '@/db/sql';
import { createPaymentGatewayClient, type PaymentGatewayClient } from './client';
import { startPaymentGateway, type PaymentGateway, type PaymentGatewayOptions } from './server';
import { testCards, type CardBehaviour } from './test-cards';

/**
 * The gateway specs' set-up: a database of the file's own on the test server (empty, so the gateway's migrations
 * are proven on their own, apart from the shop's), gateways on it over real HTTP, and clients for them.
 */
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight_test';

export type GatewayTestContext = {
  readonly sql: SqlClient;
  /** A gateway with the default knobs, started in beforeAll. */
  readonly gateway: PaymentGateway;
  readonly client: PaymentGatewayClient;
  /** Another gateway on the same database, closed after the file's last test. */
  start(options?: Omit<PaymentGatewayOptions, 'sql'>): Promise<PaymentGateway>;
  /** Rows in each of the gateway's tables, to show that a request changed nothing. */
  counts(): Promise<{ tokens: number; charges: number; refunds: number }>;
};

export function useGatewayDatabase(): GatewayTestContext {
  const target = new URL(serverUrl);
  target.pathname = `/${target.pathname.slice(1)}_payments_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const url = target.toString();
  let db: Database | undefined;
  let gateway: PaymentGateway | undefined;
  const started: PaymentGateway[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the gateway is only there once beforeAll has run');
    return value;
  };

  const context: GatewayTestContext = {
    get sql() {
      return ready(db).sql;
    },
    get gateway() {
      return ready(gateway);
    },
    get client() {
      return clientFor(ready(gateway));
    },
    async start(options = {}) {
      const another = await startPaymentGateway({ ...options, sql: ready(db).sql });
      started.push(another);
      return another;
    },
    async counts() {
      const [row] = await ready(db).sql.query<{ tokens: number; charges: number; refunds: number }>(
        `select (select count(*)::integer from payment_gateway.tokens) as tokens,
                (select count(*)::integer from payment_gateway.charges) as charges,
                (select count(*)::integer from payment_gateway.refunds) as refunds`,
      );
      return ready(row);
    },
  };
  beforeAll(async () => {
    await createDatabase(url);
    db = connect(url, { max: 10, applicationName: 'hindsight-payments-test' });
    gateway = await context.start();
  });
  afterAll(async () => {
    await Promise.all(started.map((each) => each.close()));
    await db?.close();
    await dropDatabase(url);
  });
  return context;
}

export function clientFor(gateway: PaymentGateway, timeoutMs = 5_000): PaymentGatewayClient {
  return createPaymentGatewayClient({ baseUrl: gateway.url, timeoutMs });
}

/** A test card's number, by what it does. */
export function cardNumber(behaviour: CardBehaviour): string {
  const card = testCards.find((each) => each.behaviour === behaviour);
  if (!card) throw new Error(`no test card ${behaviour}`);
  return card.number;
}

/** A card that is good for years yet. */
export function card(number: string): { number: string; expiry: string; cvc: string } {
  return { number, expiry: '12/40', cvc: '123' };
}

export function newKey(): string {
  return `test-${randomUUID()}`;
}
