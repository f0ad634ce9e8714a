import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '@/db/client';
import { createEventStore, hasReached, type EventStore } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { addItemToCart, checkOutCart } from '@/server/commands/cart';
import { listProduct } from '@/server/commands/catalog';
import { registerCustomer } from '@/server/commands/customers';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { createPaymentGatewayClient, type PaymentGatewayClient } from '@/services/payment-gateway/client';
import { startEntryPoint, startPaymentsProcess, type EntryPoint } from './entry-point';
import { watchHorizon, type HorizonReport } from './horizon-watch';
import { approvedTestCard } from './shop-under-test';
import { runConcurrently, steadyLoad, type BenchContext } from './types';

/**
 * Orders through the running shop, for the suites that follow them after checkout (./fulfillment.ts,
 * ./integration-latency.ts): the worker and the payment gateway as processes of their own over a fresh
 * database, orders placed at a fixed rate through the command functions, and each order's milestones read
 * back from the log, where every `recorded_at` comes from one clock, the database's.
 *
 * The payment gateway simulator runs as its own process (`server/main/payments.ts`, zero latency, no
 * failures) over the bench database, and the worker and the bench reach it over HTTP: the bench may reach
 * the gateway only through its client (`payment-gateway-through-its-client` in .dependency-cruiser.cjs).
 * The handover and carrier waits are 0, so "delivered" measures the process and its timers, not the policy.
 */
export type Placed = { readonly orderId: string; readonly correlationId: string };
/** Each order's milestones (ms since the epoch, by the database's clock), by order id. */
export type Milestones = Map<string, Map<string, number>>;
/** What one measured load left behind. */
export type Run = {
  readonly seconds: number;
  readonly placed: readonly Placed[];
  readonly notPlaced: number;
  readonly achievedRate: number;
  readonly left: number;
  readonly waitedMs: number;
  readonly horizon: HorizonReport;
};
/** The shop under load: its store, the processes running it, and a function placing one order. */
export type OrderFlow = { readonly db: Database; readonly store: EventStore; readonly running: EntryPoint[]; readonly place: () => Promise<Placed> };

type Shop = { readonly store: EventStore; readonly payments: PaymentGatewayClient; readonly customerIds: string[]; readonly productIds: string[] };

const shippingAddress = { name: 'Bench Shopper', line1: '1 Load Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

/**
 * Starts the payment gateway and the worker (with `workerEnv` added to its settings) over `db`, which must be
 * migrated, and opens a shop to order from. The processes are added to `running`, which the caller stops.
 */
export async function startOrderFlow(
  context: BenchContext,
  db: Database,
  databaseUrl: string,
  running: EntryPoint[],
  workerEnv: Record<string, string>,
): Promise<OrderFlow> {
  const paymentsUrl = await startPaymentsProcess(databaseUrl, running);
  const store = createEventStore(db.sql, { schemas: shopEventSchemas });
  const shop = await openShop(context, store, createPaymentGatewayClient({ baseUrl: paymentsUrl, timeoutMs: 3_000 }));
  running.push(
    startEntryPoint('server/main/worker.ts', {
      DATABASE_URL: databaseUrl,
      PAYMENTS_URL: paymentsUrl,
      FULFILLMENT_HANDOVER_DELAY_MS: '0',
      FULFILLMENT_CARRIER_DELIVERY_MS: '0',
      ELASTICSEARCH_URL: context.elasticsearchUrl ?? '',
      ELASTICSEARCH_INDEX_PREFIX: context.indexPrefix,
      LOG_LEVEL: 'warn',
      ...workerEnv,
    }),
  );
  return { db, store, running, place: placer(shop) };
}

/**
 * At warn level the worker prints no start line: orders delivered are the proof that every consumer on
 * their way runs. The warm-up also opens the pools and compiles the hot paths, and is not measured. A smoke
 * run stops here when its few warm-up orders are not delivered within a minute: the chain is broken, and
 * the measured load would only wait for it again.
 */
export async function warmUp(context: BenchContext, flow: OrderFlow, rate: number): Promise<void> {
  const warmUpSeconds = context.smoke ? 0.1 : 5;
  context.log(`${rate}/s: warming up for ${warmUpSeconds} s …`);
  const warming = await steadyLoad(rate, warmUpSeconds, flow.place);
  if (warming.failures.length > 0) context.log(`  ${warming.failures.length} warm-up orders could not be placed, e.g. ${String(warming.failures[0])}`);
  const { left } = await untilFinished(flow.db, flow.running, context.smoke ? 60_000 : 120_000);
  if (context.smoke && left > 0) {
    const problems = flow.running.flatMap((entryPoint) => entryPoint.problems());
    throw new Error(`smoke: ${left} warm-up orders neither delivered nor cancelled after a minute${problems.length > 0 ? `; logged: ${problems[0]}` : ''}`);
  }
  await untilCaughtUp(flow.db, flow.store, flow.running, 60_000);
}

/**
 * Places orders at `rate` for the step's seconds, then waits for every one to be delivered or cancelled.
 * Each hop is a consumer that reads only below the oldest transaction still running on the server, so while
 * it measures it also samples which transaction that is (./horizon-watch.ts): the hops say where an order
 * waited, the watch says what it waited for.
 */
export async function measuredLoad(context: BenchContext, flow: OrderFlow, rate: number): Promise<Run> {
  const { db, running } = flow;
  const seconds = context.smoke ? 0.5 : 20;
  context.log(`${rate}/s: placing orders for ${seconds} s …`);
  const watch = watchHorizon(db.sql);
  const load = await steadyLoad(rate, seconds, flow.place);
  const { left, waitedMs } = await untilFinished(db, running, context.smoke ? 60_000 : 120_000);
  const horizon = await watch.stop();
  const holders = horizon.holders.slice(0, 3).map((h) => `${h.who} ${h.pct.toFixed(0)}% (median age ${h.medianAgeMs.toFixed(0)} ms)`);
  context.log(`  read horizon held ${horizon.heldPct.toFixed(0)}% of the time, ${horizon.heldElsewherePct.toFixed(0)}% by another database; oldest: ${holders.join('; ')}`);
  if (load.failures.length > 0) context.log(`  ${load.failures.length} orders could not be placed, e.g. ${String(load.failures[0])}`);
  if (left > 0) context.log(`  ${left} orders neither delivered nor cancelled ${(waitedMs / 1000).toFixed(0)} s after the last was placed`);
  const problems = running.flatMap((entryPoint) => entryPoint.problems());
  if (problems.length > 0) context.log(`  ${problems.length} errors logged, e.g. ${problems[0]}`);
  const placed = load.results.map((result) => result.value);
  return { seconds, placed, notPlaced: load.failures.length, achievedRate: load.achievedRate, left, waitedMs, horizon };
}

/**
 * Customers (many: the fraud check rejects a customer's fifth order within an hour), and a few products with
 * plenty of stock, so checkouts do not all queue on one product's stream: what is measured is fulfillment.
 */
async function openShop(context: BenchContext, store: EventStore, payments: PaymentGatewayClient): Promise<Shop> {
  const customerIds = Array.from({ length: context.size(2_000, 20) }, () => randomUUID());
  await runConcurrently(customerIds.length, 8, (index) =>
    registerCustomer(store, envelope('staff:bench', `bench-${randomUUID()}`), {
      customerId: customerIds[index]!,
      name: `Bench Customer ${index + 1}`,
      email: `bench${index + 1}@example.test`,
    }),
  );
  const productIds = Array.from({ length: context.size(200, 2) }, () => randomUUID());
  for (const [index, productId] of productIds.entries()) {
    await listProduct(store, envelope('staff:bench', `bench-${randomUUID()}`), {
      productId,
      name: `Bench Mug ${index + 1}`,
      description: 'A mug for the fulfillment benchmark.',
      category: 'Kitchen',
      priceCents: 1_250,
      initialStock: 1_000_000,
    });
  }
  return { store, payments, customerIds, productIds };
}

function envelope(actor: string, correlationId: string): CommandEnvelope {
  const key = randomUUID();
  return { idempotencyKey: key, requestHash: key, correlationId, actor, source: 'bench', now: new Date() };
}

/**
 * Places one order as a shopper does: a mug into a new cart, the card tokenised at the gateway, checkout.
 * Both commands share a correlation id, so every event the order causes, from cart to delivery, carries it.
 */
function placer(shop: Shop): () => Promise<Placed> {
  let next = 0;
  return async () => {
    const n = next++;
    const customerId = shop.customerIds[n % shop.customerIds.length]!;
    const actor = `customer:${customerId}`;
    const correlationId = `bench-${randomUUID()}`;
    const productId = shop.productIds[n % shop.productIds.length]!;
    const { cartId } = await addItemToCart(shop.store, envelope(actor, correlationId), { cartId: null, newCartId: randomUUID(), customerId, productId, quantity: 1 });
    const token = await shop.payments.tokenize(approvedTestCard);
    const { orderId } = await checkOutCart(shop.store, envelope(actor, correlationId), {
      cartId,
      customerId,
      shippingAddress,
      payment: { token: token.token, last4: token.last4, brand: token.brand, cardRisk: token.riskLevel },
    });
    return { orderId, correlationId };
  };
}

/**
 * Waits until every order placed so far is delivered or cancelled, or `timeoutMs` passed; says how many
 * were left. Looked at twice a second, and only once the load is over, so the watching costs the shop nothing.
 */
async function untilFinished(db: Database, running: EntryPoint[], timeoutMs: number): Promise<{ left: number; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    for (const entryPoint of running) entryPoint.assertRunning();
    const [counts] = await db.sql.query<{ placed: number; finished: number }>(
      `select count(*) filter (where event_type = 'OrderPlaced')::int as placed,
              count(distinct stream_id) filter (where event_type in ('OrderDelivered', 'OrderCancelled'))::int as finished
       from events where event_type in ('OrderPlaced', 'OrderDelivered', 'OrderCancelled')`,
    );
    const left = (counts?.placed ?? 0) - (counts?.finished ?? 0);
    const waitedMs = performance.now() - started;
    if (left === 0 || waitedMs > timeoutMs) return { left, waitedMs };
    await sleep(500);
  }
}

/** Waits until every consumer has read the whole log, so a step's measurement starts with nothing pending. */
async function untilCaughtUp(db: Database, store: EventStore, running: EntryPoint[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    for (const entryPoint of running) entryPoint.assertRunning();
    const head = await store.readHead();
    const checkpoints = await db.sql.query<{ transactionId: string; position: string }>(
      'select transaction_id::text as "transactionId", position::text as position from consumer_checkpoints',
    );
    const behind = checkpoints.filter(
      (row) => head && !hasReached({ transactionId: Number(row.transactionId), position: Number(row.position) }, head),
    );
    if (checkpoints.length > 0 && behind.length === 0) return;
    if (performance.now() > deadline) throw new Error(`${behind.length} consumers did not catch up within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/**
 * Each order's milestones: the first event of each of `types` in the log. A timer's milestone is
 * `TimerElapsed:<name>` (its event's `name`), and a process's events find their order by `processId`.
 */
export async function milestonesOf(db: Database, placed: readonly Placed[], types: readonly string[]): Promise<Milestones> {
  const rows = await db.sql.query<{ type: string; timer: string | null; orderId: string; at: number }>(
    `select event_type as type, data->>'name' as timer, coalesce(data->>'orderId', data->>'processId') as "orderId",
            (extract(epoch from recorded_at) * 1000)::float8 as at
     from events where event_type in (${types.map((type) => `'${type}'`).join(', ')})`,
  );
  const wanted = new Set(placed.map(({ orderId }) => orderId));
  const byOrder: Milestones = new Map();
  for (const row of rows) {
    if (!wanted.has(row.orderId)) continue;
    const milestone = row.type === 'TimerElapsed' ? `${row.type}:${row.timer}` : row.type;
    const order = byOrder.get(row.orderId) ?? new Map<string, number>();
    byOrder.set(row.orderId, order);
    order.set(milestone, Math.min(order.get(milestone) ?? Infinity, Number(row.at)));
  }
  return byOrder;
}

/** Milliseconds from one milestone to another, for each order that passed both. */
export function between(placed: readonly Placed[], milestones: Milestones, from: string, to: string): number[] {
  return placed.flatMap(({ orderId }) => {
    const order = milestones.get(orderId);
    const [start, end] = [order?.get(from), order?.get(to)];
    return start !== undefined && end !== undefined ? [end - start] : [];
  });
}
