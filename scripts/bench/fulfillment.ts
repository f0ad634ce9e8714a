import { connect, type Database } from '@/db/client';
import type { EntryPoint } from './entry-point';
import { between, measuredLoad, milestonesOf, startOrderFlow, warmUp, type Milestones, type Placed, type Run } from './order-flow';
import { formatCount, percentiles, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Fulfillment: how long an order takes to move by itself after checkout (docs/fulfillment.md), measured from
 * the log. Orders are placed at a fixed rate through the command functions, and the worker process runs every
 * consumer as in production; each order's milestones are the `recorded_at` of its events (one clock, the
 * database's), so the bench's own scheduling is not in the figures. Each rate starts on a fresh database, so
 * one step's backlog, timers or larger tables never weigh on the next. ./order-flow.ts runs the shop and
 * places the orders.
 *
 * The worker runs without a broker, so the warehouse runs inside it, with no delays: what is measured is the
 * shop, not the warehouse's pace or the broker (./integration.ts measures the way through JetStream).
 * NATS_URL is cleared rather than left out: the worker inherits this process's environment, and `npm test`
 * exports NATS_URL, which would send the requests to the default stream, where no warehouse listens.
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

async function measureRate(context: BenchContext, rate: number, countEvents: boolean): Promise<Measurement[]> {
  const databaseUrl = await context.freshDatabase();
  const db = connect(databaseUrl, { max: 4, applicationName: 'hindsight-bench-fulfillment' });
  const running: EntryPoint[] = [];
  try {
    await db.migrate();
    const flow = await startOrderFlow(context, db, databaseUrl, running, {
      NATS_URL: '',
      WAREHOUSE_PICK_MS: '0',
      WAREHOUSE_PACK_MS: '0',
      WAREHOUSE_DISPATCH_MS: '0',
    });
    await warmUp(context, flow, rate);
    const run = await measuredLoad(context, flow, rate);
    const milestones = await milestonesOf(db, run.placed, milestoneTypes);
    const rows = rowsOf(context, rate, run, milestones);
    if (countEvents) rows.push(await eventsPerOrder(context, db, run.placed, milestones, rows[0]!));
    return rows;
  } finally {
    await Promise.all(running.map((entryPoint) => entryPoint.stop()));
    await db.close();
  }
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
  const span = (from: string, to: string) => between(placed, milestones, from, to);
  const counts = {
    cancelled,
    unfinished: left,
    notPlaced,
    ordersPerSecond: run.achievedRate,
    horizonHeldPct: horizon.heldPct,
    horizonHeldElsewherePct: horizon.heldElsewherePct,
  };
  const rows: Measurement[] = [
    { ...common, id: `fulfillment.r${rate}.paid`, label: 'order placed → payment settled (OrderPlaced → OrderPaid)', metrics: { ...percentiles(span('OrderPlaced', 'OrderPaid')), ...counts } },
    { ...common, id: `fulfillment.r${rate}.delivered`, label: 'order placed → delivered (OrderPlaced → OrderDelivered)', metrics: { ...percentiles(span('OrderPlaced', 'OrderDelivered')), ...counts } },
    ...hops.flatMap(([from, to, what], index): Measurement[] => {
      const samples = span(from, to);
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
