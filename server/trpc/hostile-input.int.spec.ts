import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '@/server/logger';
import { card, shippingAddress, useRouterHarness, type Browser } from '@/server/testing';
import { apiProcedures, shapedInput, type KnownIds, type Procedure } from './hostile-input.fixture';

/**
 * The fuzz suite: every procedure of the API, called over HTTP by a visitor, a customer and staff with
 * inputs generated from its own schemas and laced with hostile values (hostile-input.fixture.ts). Whatever
 * comes in, the answer is below 500 and, when refused, says why in words and appended nothing.
 *
 * `npm test` runs a few calls per procedure; `npm run fuzz` runs many more (FUZZ_RUNS, default 500 there).
 * A failure prints fast-check's seed and the shrunk input: FUZZ_SEED=<seed> replays it.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 12);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

const harness = useRouterHarness();
const known: KnownIds = { productIds: [], cartIds: [], orderIds: [], customerIds: [] };

beforeAll(async () => {
  // Something real for shaped inputs to reach: products, a cart with a line, and an order.
  const mug = await harness.listProduct(10_000);
  const kite = await harness.listProduct(10_000);
  await harness.catchUpAll();
  const maya: Browser = { customerId: harness.customers.maya, cartId: null };
  const cart = await harness.request(maya).api.cart.addItem({ idempotencyKey: randomUUID(), productId: mug.productId, quantity: 2 });
  const order = await harness.request(maya).api.cart.checkOut({ idempotencyKey: randomUUID(), cartId: cart.cartId, shippingAddress, card });
  const open = await harness.request(maya).api.cart.addItem({ idempotencyKey: randomUUID(), productId: kite.productId, quantity: 1 });
  await harness.catchUpAll();
  Object.assign(known, {
    productIds: [mug.productId, kite.productId],
    cartIds: [cart.cartId, open.cartId],
    orderIds: [order.orderId],
    customerIds: [harness.customers.maya, harness.customers.liam],
  });
  // Thousands of refusals are each logged at info; a 500 would still be logged, at error.
  logger.level = 'warn';
});
/** How each procedure answered, by status: the long run prints it, to show how far the inputs reached. */
const answers = new Map<string, Map<number, number>>();
afterAll(() => {
  logger.level = 'info';
  if (!process.env.FUZZ_RUNS) return;
  const lines = [...answers].map(([path, byStatus]) => `${path.padEnd(34)} ${[...byStatus].sort().map(([status, count]) => `${status}×${count}`).join('  ')}`);
  console.log(`Answers by procedure (${runs} inputs each):\n${lines.join('\n')}`);
});

const callers: Record<string, Browser> = {
  visitor: { customerId: null, cartId: null },
  customer: { customerId: harness.customers.maya, cartId: null },
  staff: { customerId: harness.customers.staff, cartId: null },
};

/**
 * The input as the tRPC client's superjson would send it. superjson refuses to write a `__proto__` or
 * `constructor` key, which a hostile client simply types: such an input goes out as plain JSON.
 */
function encode(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input }, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  }
}

/** One call over HTTP, as the browser's tRPC client sends it. */
function call(procedure: Procedure, caller: Browser, input: unknown): Promise<Response> {
  const encoded = encode(input);
  if (procedure.type === 'query') return harness.http(caller, `${procedure.path}?input=${encodeURIComponent(encoded)}`);
  return harness.http(caller, procedure.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: encoded });
}

/** Words a message must never carry: SQL, a driver's or the search cluster's internals. */
const internals = /\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|\bdelete from\b|params:|relation "|violates .*constraint|postgres|drizzle|elasticsearch|\n\s+at /i;

const procedures = apiProcedures();

describe('every procedure, called with hostile input over HTTP', () => {
  it('covers the whole API', () => {
    expect(procedures.length).toBeGreaterThan(30);
    expect(procedures.map((procedure) => procedure.path)).toEqual(expect.arrayContaining(['cart.checkOut', 'backOffice.catalog.list', 'orders.cancel']));
  });

  it.each(procedures.map((procedure) => [procedure.path, procedure] as const))(
    '%s answers below 500, says why it refuses, and appends nothing when it does',
    async (_, procedure) => {
      await fc.assert(
        fc.asyncProperty(shapedInput(procedure.schema, known), fc.constantFrom(...Object.keys(callers)), async (input, who) => {
          const before = await harness.countEvents();
          const response = await call(procedure, callers[who]!, input);
          const text = await response.text();
          const byStatus = answers.get(procedure.path) ?? answers.set(procedure.path, new Map()).get(procedure.path)!;
          byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
          const context = `${who} called ${procedure.path} with ${encode(input).slice(0, 300)}: ${response.status} ${text.slice(0, 300)}`;
          expect(response.status, context).toBeLessThan(500);
          if (response.status < 400) return;
          const body = JSON.parse(text) as { error: { json: { message: string } } };
          const message = body.error.json.message;
          expect(message, context).toMatch(/\w/);
          expect(message, context).not.toMatch(/^\s*[[{]/);
          expect(message, context).not.toMatch(internals);
          expect(await harness.countEvents(), context).toBe(before);
        }),
        { numRuns: runs, seed },
      );
    },
    60_000 + runs * 500,
  );
});
