import { dropDatabase, recreateDatabase } from '@/db/admin';
import { connect } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { dropIndex } from '@/projections/runtime/elasticsearch/search-index';
import { benchEvent, benchMetadata, benchSchemas } from './bench-events';
import { settled, shopping, warmUp } from './http';
import { prepareShop, startShop, type ShopTarget, type ShopUnderTest } from './shop-under-test';
import { formatCount, percentiles, steadyLoad, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Whether the shop's costs grow with its log: the same measurements with about 1,000,000 and about
 * 10,000,000 events in the store, each in a database of its own generated in bulk (generate.ts) with the
 * same shape of history, ten times as much of it (ten times the orders over ten times the customers; the
 * same 200 products, whose streams grow tenfold).
 *
 * Each database is prepared once: every PostgreSQL read model caught up from zero over the whole log, timed
 * (its events/s: linear in events when it holds at 10M). Then the two are measured in interleaved rounds
 * (1M, 10M, 1M, 10M), so a slow spell of the shared host does not fall on one size only: each round starts
 * the shop on the database, warms it up, lets it go quiet, sends commands at a steady rate (the lag
 * workload's mix: add to a new cart, check it out) and loads the two pages, stops it, and makes single-event
 * appends to existing streams straight into the store. A row's percentiles are over all of its rounds' samples.
 * Opt-in (`--only log-size`): the ten-million-event log takes a while to generate and catch up.
 */
export const logSizeSuite: BenchSuite = {
  name: 'log-size',
  async run(context) {
    const name = new URL(context.databaseUrl).pathname.slice(1);
    const logs = sizes(context).map((size) => ({
      size,
      target: { databaseUrl: `${context.serverUrl}/${name}_${size.key}`, indexPrefix: `${context.indexPrefix}_${size.key}` },
      samples: new Map<string, number[]>(),
      facts: { events: 0, busiest: null as { customerId: string; orders: number } | null },
    }));
    const rows: Measurement[] = [];
    try {
      for (const log of logs) rows.push(...(await prepare(context, log.size, log.target)));
      for (let round = 1; round <= (context.smoke ? 1 : 2); round++) {
        for (const log of logs) {
          context.log(`round ${round}: ${log.size.label}`);
          await measureRound(context, log);
        }
      }
      for (const log of logs) rows.push(...measuredRows(context, log));
    } finally {
      for (const { target } of logs) await dropTarget(context, target);
    }
    // Each measurement's sizes side by side in the table.
    const measurement = (row: Measurement) => row.id.split('.').slice(2).join('.');
    return rows
      .map((row, order) => ({ row, order }))
      .sort((a, b) => measurement(a.row).localeCompare(measurement(b.row)) || a.order - b.order)
      .map(({ row }) => row);
  },
};

type Size = { readonly key: string; readonly label: string; readonly orders: number; readonly customers: number };
type Log = {
  readonly size: Size;
  readonly target: ShopTarget;
  /** Each measurement's samples, in ms, over the rounds. */
  readonly samples: Map<string, number[]>;
  readonly facts: { events: number; busiest: { customerId: string; orders: number } | null };
};

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
const catchUpBatchSize = 30_000;

/** A fresh database with the size's history, every read model caught up from zero (timed). */
async function prepare(context: BenchContext, size: Size, target: ShopTarget): Promise<Measurement[]> {
  await dropTarget(context, target);
  await recreateDatabase(target.databaseUrl);
  const prefix = `log-size.${size.key}`;
  const rows: Measurement[] = [];
  let generated = { events: 0, seconds: 0 };
  const caughtUp: { readModel: string; seconds: number; events: number }[] = [];
  await prepareShop(context, target, {
    extraOrders: size.orders,
    extraCustomers: size.customers,
    catchUpBatchSize,
    onGenerated: (events, seconds) => {
      generated = { events, seconds };
      context.log(`${size.label}: generated ${formatCount(events)} events in ${seconds.toFixed(0)} s`);
    },
    onCaughtUp: (readModel, seconds, events) => {
      caughtUp.push({ readModel, seconds, events });
      context.log(`${size.label}: ${readModel} caught up from zero in ${seconds.toFixed(1)} s`);
    },
  });
  rows.push({
    id: `${prefix}.generate`,
    group: 'log-size',
    label: `the generated history loaded with COPY (scripts/bench/generate.ts), ${size.label}`,
    scale: `${formatCount(generated.events)} events, ${formatCount(size.orders)} orders`,
    concurrency: '1 connection, 4,000 events per COPY',
    metrics: { eventsPerSecond: generated.events / generated.seconds, seconds: generated.seconds },
  });
  for (const { readModel, seconds, events } of caughtUp) {
    rows.push({
      id: `${prefix}.rebuild.${readModel}`,
      group: 'log-size',
      label: `${readModel} caught up from zero (PostgreSQL), ${size.label}`,
      scale: `${formatCount(events)} events`,
      concurrency: `1 projection, batches of ${formatCount(catchUpBatchSize)}`,
      metrics: { eventsPerSecond: events / seconds, seconds },
    });
  }
  return rows;
}

async function dropTarget(context: BenchContext, target: ShopTarget): Promise<void> {
  await dropDatabase(target.databaseUrl);
  if (!context.elasticsearchUrl) return;
  const client = createSearchClient(context.elasticsearchUrl);
  try {
    for (const projection of Object.values(searchProjections(target.indexPrefix))) await dropIndex(client, projection.index);
  } finally {
    await client.close();
  }
}

const record = (log: Log, key: string, values: readonly number[]) => log.samples.set(key, [...(log.samples.get(key) ?? []), ...values]);

async function measureRound(context: BenchContext, log: Log): Promise<void> {
  const shop = await startShop(context, { port: 3400, extraOrders: 0, target: log.target, prepared: true });
  try {
    const [{ events } = { events: 0 }] = await shop.db.sql.query<{ events: number }>('select count(*)::int as events from events');
    log.facts.events = events;
    await warmUp(context, shop);
    await settled(context, shop, async () => {
      const seconds = context.smoke ? 0.5 : 20;
      context.log(`commands at ${commandRate}/s for ${seconds} s …`);
      const send = shopping(shop);
      const load = await steadyLoad(commandRate, seconds, async () => {
        const started = performance.now();
        const { command } = await send();
        return { command, ms: performance.now() - started };
      });
      if (load.failures.length > 0) throw new Error(`a command failed: ${String(load.failures[0])}`);
      for (const command of ['addItem', 'checkOut']) {
        record(log, `command.${command}`, load.results.filter((result) => result.value.command === `cart.${command}`).map((result) => result.value.ms));
      }
    });
    await measurePages(context, shop, log);
  } finally {
    await shop.stop();
  }
  record(log, 'append', await measureAppends(context, log.target));
}

/**
 * The two pages of the page rows, full HTML, one request at a time after ten unmeasured: the search page,
 * and the order history of the customer with the most orders (chosen in the first round, kept after).
 */
async function measurePages(context: BenchContext, shop: ShopUnderTest, log: Log): Promise<void> {
  const count = context.size(200, 5);
  if (!log.facts.busiest) {
    const [busiest] = await shop.db.sql.query<{ customerId: string; orders: number }>(
      `select customer_id as "customerId", count(*)::int as orders from customer_orders
       group by customer_id order by count(*) desc, customer_id limit 1`,
    );
    log.facts.busiest = busiest ?? { customerId: shop.customerIds[0]!, orders: 0 };
  }
  const cookie = await shop.sessionCookie(log.facts.busiest.customerId);
  for (const [key, path] of [['pages.search', '/search?q=walnut'], ['pages.orders', '/orders']] as const) {
    context.log(`page ${path} …`);
    const load = async () => {
      const started = performance.now();
      const response = await fetch(`${shop.baseUrl}${path}`, { headers: { cookie } });
      await response.text();
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < Math.min(10, count); i++) await load();
    const samples: number[] = [];
    for (let i = 0; i < count; i++) samples.push(await load());
    record(log, key, samples);
  }
}

/**
 * Single-event appends, one writer, each to an existing stream at its known version (as every command after
 * a stream's first), straight into the store's events table beside the generated log. Streams of the bench's
 * own event type, written after the shop has stopped: no consumer of the shop ever reads them.
 */
async function measureAppends(context: BenchContext, target: ShopTarget): Promise<number[]> {
  const count = context.size(3_000, 50);
  const streams = 100;
  const db = connect(target.databaseUrl, { max: 1, applicationName: 'hindsight-bench' });
  const store = createEventStore(db.sql, { schemas: benchSchemas });
  try {
    const run = crypto.randomUUID();
    const streamId = (n: number) => `bench-${run}-${n % streams}`;
    for (let n = 0; n < streams; n++) await store.append(streamId(n), [benchEvent(n)], { expectedVersion: 'no_stream', metadata: benchMetadata });
    const latencies: number[] = [];
    for (let n = 0; n < count; n++) {
      const begin = performance.now();
      await store.append(streamId(n), [benchEvent(n)], { expectedVersion: 1 + Math.floor(n / streams), metadata: benchMetadata });
      latencies.push(performance.now() - begin);
    }
    await store.settled();
    return latencies;
  } finally {
    await db.close();
  }
}

function measuredRows(context: BenchContext, log: Log): Measurement[] {
  const { size, samples, facts } = log;
  const prefix = `log-size.${size.key}`;
  const inStore = `${formatCount(facts.events)} events in the store`;
  const rounds = context.smoke ? 1 : 2;
  const of = (key: string) => samples.get(key) ?? [];
  const commandRow = (command: 'addItem' | 'checkOut'): Measurement => ({
    id: `${prefix}.command.${command}`,
    group: 'log-size',
    label: `cart.${command} over HTTP, ${size.label}`,
    scale: `${formatCount(of(`command.${command}`).length)} commands in ${rounds} round(s), ${inStore}`,
    concurrency: `${commandRate} commands/s, open loop (cart.addItem and cart.checkOut, alternating)`,
    metrics: percentiles(of(`command.${command}`)),
  });
  const pageRow = (key: 'search' | 'orders', label: string): Measurement => {
    const { p50Ms, p95Ms } = percentiles(of(`pages.${key}`));
    return {
      id: `${prefix}.pages.${key}`,
      group: 'log-size',
      label: `${label}, ${size.label}`,
      scale: `${formatCount(of(`pages.${key}`).length)} requests in ${rounds} round(s), ${inStore}`,
      concurrency: '1 client',
      metrics: { p50Ms, p95Ms },
    };
  };
  const appends = of('append');
  return [
    {
      id: `${prefix}.append`,
      group: 'log-size',
      label: `single-event append to an existing stream, ${size.label}`,
      scale: `${formatCount(appends.length)} appends over 100 streams in ${rounds} round(s), ${inStore}`,
      concurrency: '1 writer',
      metrics: percentiles(appends),
    },
    commandRow('addItem'),
    commandRow('checkOut'),
    pageRow('search', 'storefront search page (/search?q=walnut)'),
    pageRow('orders', `order-history page (/orders) of the busiest customer (${formatCount(facts.busiest?.orders ?? 0)} orders)`),
  ];
}
