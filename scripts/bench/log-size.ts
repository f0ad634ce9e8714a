import { connect } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { benchEvent, benchMetadata, benchSchemas } from './bench-events';
import { measurePages, settled, shopping, warmUp } from './http';
import { startShop, type ShopUnderTest } from './shop-under-test';
import { formatCount, percentiles, steadyLoad, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Whether the shop's costs grow with its log: the same measurements with about 1,000,000 and about
 * 10,000,000 events in the store, each size a fresh database generated in bulk (generate.ts) with the same
 * shape of history, ten times as much of it (ten times the orders over ten times the customers; the same
 * 200 products, whose streams grow tenfold). At each size:
 * - every PostgreSQL read model caught up from zero over the whole log (its events/s: linear in events when
 *   it holds at 10M),
 * - the running shop's commands over HTTP at a steady rate (the lag workload's mix: add to a new cart, check
 *   it out) and its two pages,
 * - then, with the shop stopped, single-event appends to existing streams straight into the store.
 * Opt-in (`--only log-size`): the ten-million-event log takes a while to generate and catch up.
 */
export const logSizeSuite: BenchSuite = {
  name: 'log-size',
  async run(context) {
    const rows: Measurement[] = [];
    for (const [index, size] of sizes(context).entries()) {
      if (index > 0) await context.freshDatabase();
      rows.push(...(await measureAtSize(context, size)));
    }
    // Each measurement's sizes side by side in the table.
    const measurement = (row: Measurement) => row.id.split('.').slice(2).join('.');
    return rows.map((row, order) => ({ row, order })).sort((a, b) => measurement(a.row).localeCompare(measurement(b.row)) || a.order - b.order).map(({ row }) => row);
  },
};

type Size = { readonly key: string; readonly label: string; readonly orders: number; readonly customers: number };

/** About ten events per order: 100,000 orders make about a million events. */
function sizes(context: BenchContext): Size[] {
  if (context.smoke) {
    return [
      { key: '1m', label: 'smoke-sized log', orders: 20, customers: 5 },
      { key: '10m', label: 'twice the smoke-sized log', orders: 40, customers: 10 },
    ];
  }
  return [
    { key: '1m', label: '1M events', orders: 100_000, customers: 1_000 },
    { key: '10m', label: '10M events', orders: 1_000_000, customers: 10_000 },
  ];
}

/** Commands per second of the command rows: well below what the endpoint sustains, so the log, not a queue, is measured. */
const commandRate = 50;

async function measureAtSize(context: BenchContext, size: Size): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  const prefix = `log-size.${size.key}`;
  const caughtUp: { readModel: string; seconds: number; events: number }[] = [];
  let generated = { events: 0, seconds: 0 };
  const generating = performance.now();
  const shop = await startShop(context, {
    port: 3400,
    extraOrders: size.orders,
    extraCustomers: size.customers,
    catchUpBatchSize: 30_000,
    onGenerated: (events, seconds) => {
      generated = { events, seconds };
      context.log(`${size.label}: generated ${formatCount(events)} events in ${seconds.toFixed(0)} s`);
    },
    onCaughtUp: (readModel, seconds, events) => {
      caughtUp.push({ readModel, seconds, events });
      context.log(`${size.label}: ${readModel} caught up from zero in ${seconds.toFixed(1)} s`);
    },
  });
  let events = 0;
  try {
    events = await eventCount(shop);
    const scale = `${formatCount(events)} events in the store`;
    context.log(`${size.label}: ${formatCount(events)} events, shop ready after ${((performance.now() - generating) / 1000).toFixed(0)} s`);
    rows.push({
      id: `${prefix}.generate`,
      group: 'log-size',
      label: `the generated history loaded with COPY (scripts/bench/generate.ts), ${size.label}`,
      scale: `${formatCount(generated.events)} events, ${formatCount(size.orders)} orders`,
      concurrency: '1 connection, 4,000 events per COPY',
      metrics: { eventsPerSecond: generated.events / generated.seconds, seconds: generated.seconds },
    });
    for (const { readModel, seconds, events: read } of caughtUp) {
      rows.push({
        id: `${prefix}.rebuild.${readModel}`,
        group: 'log-size',
        label: `${readModel} caught up from zero (PostgreSQL), ${size.label}`,
        scale,
        concurrency: '1 projection, batches of 30,000',
        metrics: { eventsPerSecond: read / seconds, seconds },
      });
    }
    await warmUp(context, shop);
    rows.push(...(await settled(context, shop, () => measureCommands(context, shop, size, scale))));
    const pages = await measurePages(context, shop, { idPrefix: `${prefix}.pages`, group: 'log-size' });
    rows.push(...pages.map((row) => ({ ...row, label: `${row.label}, ${size.label}`, scale: `${row.scale}, ${scale}` })));
  } finally {
    await shop.stop();
  }
  rows.push(await measureAppends(context, size, `${formatCount(events)} events in the store`));
  return rows;
}

async function eventCount(shop: ShopUnderTest): Promise<number> {
  // The planner's estimate would do for the label, but the label is a figure of the run: counted.
  const [row] = await shop.db.sql.query<{ events: number }>('select count(*)::int as events from events');
  return row?.events ?? 0;
}

/** The lag workload's mix at a steady rate, each command's latency by its kind. */
async function measureCommands(context: BenchContext, shop: ShopUnderTest, size: Size, scale: string): Promise<Measurement[]> {
  const seconds = context.smoke ? 0.5 : 20;
  context.log(`commands at ${commandRate}/s for ${seconds} s …`);
  const send = shopping(shop);
  const load = await steadyLoad(commandRate, seconds, async () => {
    const started = performance.now();
    const { command } = await send();
    return { command, ms: performance.now() - started };
  });
  return (['cart.addItem', 'cart.checkOut'] as const).map((command) => {
    const latencies = load.results.filter((result) => result.value.command === command).map((result) => result.value.ms);
    return {
      id: `log-size.${size.key}.command.${command.split('.')[1]}`,
      group: 'log-size',
      label: `${command} over HTTP, ${size.label}`,
      scale: `${formatCount(latencies.length)} commands over ${seconds} s, ${scale}`,
      concurrency: `${commandRate} commands/s, open loop (cart.addItem and cart.checkOut, alternating)`,
      metrics: { ...percentiles(latencies), failures: load.failures.length },
    };
  });
}

/**
 * Single-event appends, one writer, each to an existing stream at its known version (as every command after
 * a stream's first), straight into the store's events table beside the generated log. Streams of the bench's
 * own event type, written after the shop has stopped: no consumer of the shop ever reads them.
 */
async function measureAppends(context: BenchContext, size: Size, scale: string): Promise<Measurement> {
  const count = context.size(3_000, 50);
  const streams = 100;
  const db = connect(context.databaseUrl, { max: 1, applicationName: 'hindsight-bench' });
  const store = createEventStore(db.sql, { schemas: benchSchemas });
  try {
    const run = crypto.randomUUID();
    const streamId = (n: number) => `bench-${run}-${n % streams}`;
    for (let n = 0; n < streams; n++) await store.append(streamId(n), [benchEvent(n)], { expectedVersion: 'no_stream', metadata: benchMetadata });
    const latencies: number[] = [];
    const started = performance.now();
    for (let n = 0; n < count; n++) {
      const begin = performance.now();
      await store.append(streamId(n), [benchEvent(n)], { expectedVersion: 1 + Math.floor(n / streams), metadata: benchMetadata });
      latencies.push(performance.now() - begin);
    }
    const took = (performance.now() - started) / 1000;
    await store.settled();
    return {
      id: `log-size.${size.key}.append`,
      group: 'log-size',
      label: `single-event append to an existing stream, ${size.label}`,
      scale: `${formatCount(count)} appends over ${streams} streams, ${scale}`,
      concurrency: '1 writer',
      metrics: { eventsPerSecond: count / took, ...percentiles(latencies) },
    };
  } finally {
    await db.close();
  }
}
