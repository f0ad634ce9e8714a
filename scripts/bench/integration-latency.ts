import postgres from 'postgres';
import { dropDatabase, maintenanceTarget, recreateDatabase } from '@/db/admin';
import { connect } from '@/db/client';
import { benchStreamNames, deleteStream } from './bench-streams';
import { startEntryPoint, type EntryPoint } from './entry-point';
import { between, measuredLoad, milestonesOf, startOrderFlow, warmUp, type Milestones, type Run } from './order-flow';
import { formatCount, percentiles, type BenchContext, type Measurement } from './types';

/**
 * From payment captured to the shipment request received by the warehouse, at 100 orders/s, with everything
 * as in production: the worker (every consumer, the relay among them) publishing to JetStream on a stream of
 * the bench's own, and the warehouse service as its own process (`services/warehouse/main.ts`) on a database
 * of its own, with no delays, answering through the broker to the shop's inbox. Orders are placed as in
 * ./fulfillment.ts (./order-flow.ts).
 *
 * Both ends are PostgreSQL's clock on the same server: the `recorded_at` of the order's `PaymentCaptured` in
 * the shop's log, and the `received_at` of the warehouse's inbox row for the order's shipment request (its
 * default `now()`, the start of the transaction that takes the message). The way between them is the process
 * deciding on the capture (the request is appended in the decision that settles the payment, the handover
 * delay being 0), the relay, JetStream and the warehouse's durable consumer; both halves are reported too.
 */
export async function measureWarehouseLatency(context: BenchContext): Promise<Measurement[]> {
  const rate = context.smoke ? 20 : 100;
  const databaseUrl = await context.freshDatabase();
  const warehouseUrl = `${context.serverUrl}/${maintenanceTarget(databaseUrl).name}_warehouse`;
  await recreateDatabase(warehouseUrl);
  const names = benchStreamNames('orders');
  const broker = { NATS_URL: context.natsUrl, NATS_STREAM: names.stream, NATS_SUBJECT_PREFIX: names.prefix };
  const db = connect(databaseUrl, { max: 4, applicationName: 'hindsight-bench-integration' });
  const running: EntryPoint[] = [];
  try {
    await db.migrate();
    const warehouse = startEntryPoint('services/warehouse/main.ts', {
      ...broker,
      WAREHOUSE_DATABASE_URL: warehouseUrl,
      WAREHOUSE_PICK_MS: '0',
      WAREHOUSE_PACK_MS: '0',
      WAREHOUSE_DISPATCH_MS: '0',
      WAREHOUSE_MISSING_RATE: '0',
      // Its start line (info) says it runs; it logs nothing per shipment.
      LOG_LEVEL: 'info',
    });
    running.push(warehouse);
    // Started beside the shop's processes; waited for before the first order. Until then, a failure to start
    // is held here (not an unhandled rejection) and thrown by the await.
    const warehouseRunning = warehouse.waitFor((entry) => entry.msg === 'warehouse running', 60_000);
    warehouseRunning.catch(() => {});
    const flow = await startOrderFlow(context, db, databaseUrl, running, broker);
    await warehouseRunning;
    await warmUp(context, flow, rate);
    const run = await measuredLoad(context, flow, rate);
    const milestones = await milestonesOf(db, run.placed, ['OrderPlaced', 'PaymentCaptured', 'ShipmentRequested', 'OrderShipped', 'OrderCancelled']);
    for (const [orderId, at] of await receivedByWarehouse(warehouseUrl)) milestones.get(orderId)?.set(received, at);
    return rowsOf(context, rate, run, milestones);
  } finally {
    await Promise.all(running.map((entryPoint) => entryPoint.stop()));
    await db.close();
    await deleteStream(context.natsUrl, names.stream);
    await dropDatabase(warehouseUrl);
  }
}

/** The milestone of the warehouse's inbox row for an order's shipment request. */
const received = 'received by the warehouse';

/** When the warehouse took each order's shipment request, by order id (ms since the epoch, the server's clock). */
async function receivedByWarehouse(warehouseUrl: string): Promise<Map<string, number>> {
  const sql = postgres(warehouseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ orderId: string; at: number }[]>`
      select order_id as "orderId", (extract(epoch from min(received_at)) * 1000)::float8 as at
      from warehouse.inbox where contract = 'shipment.requested' group by order_id`;
    return new Map(rows.map((row) => [row.orderId, Number(row.at)]));
  } finally {
    await sql.end();
  }
}

function rowsOf(context: BenchContext, rate: number, run: Run, milestones: Milestones): Measurement[] {
  const { placed, notPlaced, left, waitedMs } = run;
  const has = (milestone: string) => placed.filter(({ orderId }) => milestones.get(orderId)?.has(milestone)).length;
  const captured = has('PaymentCaptured');
  const notReceived = placed.length - has(received);
  const cancelled = has('OrderCancelled');
  if (notReceived > 0) context.log(`  ${notReceived} of ${placed.length} orders' shipment requests never reached the warehouse`);
  if (context.smoke && (placed.length === 0 || notReceived > 0 || left > 0 || cancelled > 0 || notPlaced > 0)) {
    throw new Error(
      `integration smoke: ${placed.length} placed, ${notPlaced} not placed, ${captured} captured, ${notReceived} not received by the warehouse, ` +
        `${cancelled} cancelled, ${left} not finished`,
    );
  }
  const outcome = [
    notReceived === 0 ? 'all received by the warehouse' : `${formatCount(notReceived)} never received`,
    cancelled > 0 ? `${formatCount(cancelled)} cancelled` : '',
    left > 0 ? `${formatCount(left)} unfinished after ${(waitedMs / 1000).toFixed(0)} s` : '',
    notPlaced > 0 ? `${formatCount(notPlaced)} not placed` : '',
  ].filter(Boolean);
  const common = {
    group: 'integration' as const,
    scale: `${formatCount(placed.length)} orders over ${run.seconds} s, ${outcome.join(', ')}`,
    concurrency: `${rate} orders/s, open loop (achieved ${run.achievedRate.toFixed(0)})`,
  };
  const counts = { orders: placed.length, notReceived, cancelled, unfinished: left, notPlaced, ordersPerSecond: run.achievedRate };
  const row = (id: string, label: string, from: string, to: string, extra: Record<string, number> = {}): Measurement => ({
    ...common,
    id: `integration.r${rate}.${id}`,
    label,
    metrics: { ...percentiles(between(placed, milestones, from, to)), ...extra },
  });
  const rows = [
    row('received', 'payment captured → shipment request received by the warehouse (PaymentCaptured → its inbox)', 'PaymentCaptured', received, counts),
    row('requested', 'part 1: payment captured → shipment requested (the fulfillment process decides)', 'PaymentCaptured', 'ShipmentRequested'),
    row('relayed', 'part 2: shipment requested → received by the warehouse (the relay, JetStream, the warehouse’s consumer)', 'ShipmentRequested', received),
    row('shipped', 'order placed → shipped, through the warehouse and back (OrderPlaced → OrderShipped)', 'OrderPlaced', 'OrderShipped'),
  ];
  for (const { id, metrics, label } of rows) {
    const { p50Ms = 0, p95Ms = 0, p99Ms = 0, maxMs = 0 } = metrics;
    context.log(`  ${id}: p50 ${p50Ms.toFixed(0)} ms, p95 ${p95Ms.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms, max ${maxMs.toFixed(0)} ms  ${label}`);
  }
  return rows;
}
