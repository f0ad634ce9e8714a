import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Database } from '@/db/client';
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
import { formatCount, percentiles, runConcurrently, steadyLoad, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Fulfillment: how long an order takes to move by itself after checkout (docs/fulfillment.md), measured from
 * the log. Orders are placed at a fixed rate through the command functions, and the worker process runs every
 * consumer as in production; each order's milestones are the `recorded_at` of its events (one clock, the
 * database's), so the bench's own scheduling is not in the figures. Each rate starts on a fresh database, so
 * one step's backlog, timers or larger tables never weigh on the next.
 *
 * The payment gateway simulator runs as its own process (`server/main/payments.ts`, zero latency, no
 * failures) over the bench database, and the worker and the bench reach it over HTTP: the bench may reach
 * the gateway only through its client (`payment-gateway-through-its-client` in .dependency-cruiser.cjs).
 * The handover and carrier waits are 0, so "delivered" measures the process and its timers, not the policy.
 *
 * Each hop is a consumer that reads only below the oldest transaction still running on the server, so while
 * it measures the suite also samples which transaction that is (./horizon-watch.ts): the hops say where an
 * order waited, the watch says what it waited for.
 */
export const fulfillmentSuite: BenchSuite = {
  name: 'fulfillment',
  async run(context) {
    const rates = context.smoke ? [20] : [50, 100];
    const rows: Measurement[] = [];
    for (const [index, rate] of rates.entries()) rows.push(...(await measureRate(context, rate, index === rates.length - 1)));
    return rows;
  },
};

const shippingAddress = { name: 'Bench Shopper', line1: '1 Load Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

/** The log's milestones of an order, in the order it passes them; a timer's is `TimerElapsed:<name>`. */
const hops = [
  ['OrderPlaced', 'FraudCheckCompleted', 'fraud check'],
  ['FraudCheckCompleted', 'PaymentRequested', 'process asks for the charge'],
  ['PaymentRequested', 'PaymentCaptured', 'payment step charges at the gateway'],
  ['PaymentCaptured', 'OrderPaid', 'process settles the payment'],
  // With no handover delay the process asks for the shipment in the decision that pays the order.
  ['OrderPaid', 'ShipmentDispatched', 'warehouse dispatches'],
  ['ShipmentDispatched', 'OrderShipped', 'process confirms the shipment'],
  ['OrderShipped', 'TimerElapsed:carrier-delivery', 'carrier timer (0 ms) fires'],
  ['TimerElapsed:carrier-delivery', 'OrderDelivered', 'process confirms the delivery'],
] as const;
const milestoneTypes = [...new Set(hops.flatMap(([from, to]) => [from, to]).map((m) => m.split(':')[0]!)), 'OrderCancelled'];

type Shop = { readonly store: EventStore; readonly payments: PaymentGatewayClient; readonly customerIds: string[]; readonly productIds: string[] };
type Placed = { readonly orderId: string; readonly correlationId: string };
/** Each order's milestones (ms since the epoch, by the database's clock), by order id. */
type Milestones = Map<string, Map<string, number>>;
/** What one measured load left behind. */
type Run = {
  readonly seconds: number;
  readonly placed: readonly Placed[];
  readonly notPlaced: number;
  readonly achievedRate: number;
  readonly left: number;
  readonly waitedMs: number;
  readonly horizon: HorizonReport;
};

async function measureRate(context: BenchContext, rate: number, countEvents: boolean): Promise<Measurement[]> {
  const databaseUrl = await context.freshDatabase();
  const db = connect(databaseUrl, { max: 4, applicationName: 'hindsight-bench-fulfillment' });
  const running: EntryPoint[] = [];
  try {
    await db.migrate();
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
      }),
    );
    const place = placer(shop);

    // At warn level the worker prints no start line: orders delivered are the proof that every consumer on
    // their way runs. The warm-up also opens the pools and compiles the hot paths, and is not measured.
    const warmUpSeconds = context.smoke ? 0.1 : 5;
    context.log(`${rate}/s: warming up for ${warmUpSeconds} s …`);
    const warmUp = await steadyLoad(rate, warmUpSeconds, place);
    if (warmUp.failures.length > 0) context.log(`  ${warmUp.failures.length} warm-up orders could not be placed, e.g. ${String(warmUp.failures[0])}`);
    await untilFinished(db, running, 120_000);
    await untilCaughtUp(db, store, running, 60_000);

    const run = await measuredLoad(context, db, running, rate, place);
    const milestones = await milestonesOf(db, run.placed);
    const rows = rowsOf(context, rate, run, milestones);
    if (countEvents) rows.push(await eventsPerOrder(context, db, run.placed, milestones, rows[0]!));
    return rows;
  } finally {
    await Promise.all(running.map((entryPoint) => entryPoint.stop()));
    await db.close();
  }
}

/** Places orders at `rate` for the step's seconds, then waits for every one to be delivered or cancelled. */
async function measuredLoad(context: BenchContext, db: Database, running: EntryPoint[], rate: number, place: () => Promise<Placed>): Promise<Run> {
  const seconds = context.smoke ? 0.5 : 20;
  context.log(`${rate}/s: placing orders for ${seconds} s …`);
  const watch = watchHorizon(db.sql);
  const load = await steadyLoad(rate, seconds, place);
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

/** The step's rows: the two end-to-end latencies, then each hop between them. */
function rowsOf(context: BenchContext, rate: number, run: Run, milestones: Milestones): Measurement[] {
  const { placed, notPlaced, left, waitedMs, horizon } = run;
  const cancelled = placed.filter(({ orderId }) => milestones.get(orderId)?.has('OrderCancelled')).length;
  if (cancelled > 0) context.log(`  ${cancelled} orders were cancelled`);
  if (context.smoke && (left > 0 || cancelled > 0 || notPlaced > 0)) {
    throw new Error(`fulfillment smoke: ${notPlaced} not placed, ${cancelled} cancelled, ${left} not finished`);
  }
  const outcome = [
    left === 0 && cancelled === 0 ? 'all delivered' : '',
    cancelled > 0 ? `${formatCount(cancelled)} cancelled` : '',
    left > 0 ? `${formatCount(left)} unfinished after ${(waitedMs / 1000).toFixed(0)} s` : '',
    notPlaced > 0 ? `${formatCount(notPlaced)} not placed` : '',
  ].filter(Boolean);
  const common = {
    group: 'fulfillment' as const,
    scale: `${formatCount(placed.length)} orders over ${run.seconds} s, ${outcome.join(', ')}`,
    concurrency: `${rate} orders/s, open loop (achieved ${run.achievedRate.toFixed(0)})`,
  };
  const between = (from: string, to: string) =>
    placed.flatMap(({ orderId }) => {
      const order = milestones.get(orderId);
      const [start, end] = [order?.get(from), order?.get(to)];
      return start !== undefined && end !== undefined ? [end - start] : [];
    });
  const counts = {
    cancelled,
    unfinished: left,
    notPlaced,
    ordersPerSecond: run.achievedRate,
    horizonHeldPct: horizon.heldPct,
    horizonHeldElsewherePct: horizon.heldElsewherePct,
  };
  const rows: Measurement[] = [
    { ...common, id: `fulfillment.r${rate}.paid`, label: 'order placed → payment settled (OrderPlaced → OrderPaid)', metrics: { ...percentiles(between('OrderPlaced', 'OrderPaid')), ...counts } },
    { ...common, id: `fulfillment.r${rate}.delivered`, label: 'order placed → delivered (OrderPlaced → OrderDelivered)', metrics: { ...percentiles(between('OrderPlaced', 'OrderDelivered')), ...counts } },
    ...hops.flatMap(([from, to, what], index): Measurement[] => {
      const samples = between(from, to);
      // A hop no order passed would read as 0 ms: the chain has changed, and the hops must follow it.
      if (samples.length === 0) context.log(`  no order passed ${from} → ${to}`);
      return samples.length === 0
        ? []
        : [{ ...common, id: `fulfillment.r${rate}.hop${index + 1}`, label: `hop ${index + 1}: ${from} → ${to} (${what})`, metrics: percentiles(samples) }];
    }),
  ];
  for (const row of rows) {
    const { p50Ms = 0, p99Ms = 0 } = row.metrics;
    context.log(`  ${row.id}: p50 ${p50Ms.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms  ${row.label}`);
  }
  return rows;
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

/** Each order's milestones: the first event of each kind in the log. */
async function milestonesOf(db: Database, placed: readonly Placed[]): Promise<Milestones> {
  const rows = await db.sql.query<{ type: string; timer: string | null; orderId: string; at: number }>(
    `select event_type as type, data->>'name' as timer, coalesce(data->>'orderId', data->>'processId') as "orderId",
            (extract(epoch from recorded_at) * 1000)::float8 as at
     from events where event_type in (${milestoneTypes.map((type) => `'${type}'`).join(', ')})`,
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

/** Events in the log per delivered order: every event carrying its correlation id, cart to delivery. */
async function eventsPerOrder(
  context: BenchContext,
  db: Database,
  placed: readonly Placed[],
  milestones: Milestones,
  step: Pick<Measurement, 'group' | 'scale' | 'concurrency'>,
): Promise<Measurement> {
  const delivered = placed.filter(({ orderId }) => milestones.get(orderId)?.has('OrderDelivered'));
  const rows = await db.sql.query<{ correlationId: string; kind: string; events: number }>(
    `select metadata->>'correlationId' as "correlationId", regexp_replace(stream_id, '-[0-9a-f]{8}-.*$', '') as kind,
            count(*)::int as events
     from events group by 1, 2`,
  );
  const byCorrelation = new Map<string, { total: number; kinds: string[] }>();
  for (const row of rows) {
    const entry = byCorrelation.get(row.correlationId) ?? { total: 0, kinds: [] };
    entry.total += row.events;
    entry.kinds.push(`${row.kind} ${row.events}`);
    byCorrelation.set(row.correlationId, entry);
  }
  const counts = delivered.map(({ correlationId }) => byCorrelation.get(correlationId)?.total ?? 0).sort((a, b) => a - b);
  const median = counts[Math.floor(counts.length / 2)] ?? 0;
  const example = delivered[0] && byCorrelation.get(delivered[0].correlationId);
  if (example) context.log(`  events of one delivered order, by stream: ${example.kinds.sort().join(', ')}`);
  context.log(`  events per delivered order: median ${median}, ${counts[0] ?? 0}–${counts.at(-1) ?? 0}`);
  return {
    group: step.group,
    scale: step.scale,
    concurrency: step.concurrency,
    id: 'fulfillment.events',
    label: 'events appended per delivered order, cart to delivery (its correlation id)',
    metrics: { eventsPerOrder: median, minEventsPerOrder: counts[0] ?? 0, maxEventsPerOrder: counts.at(-1) ?? 0 },
  };
}
