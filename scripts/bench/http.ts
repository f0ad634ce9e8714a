import { decodeToken, hasReached, type LogPosition } from '@/db/event-store';
import { postgresSearchBackend, projections } from '@/projections';
import { approvedTestCard, startShop, sendCommand, type ShopUnderTest } from './shop-under-test';
import { formatCount, percentiles, steadyLoad, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Everything measured through HTTP against the running shop (next start + the worker process):
 * consistency lag, the command endpoint's sustainable rate, and page response times, with the store holding
 * 100,000 generated orders.
 */
export const httpSuite: BenchSuite = {
  name: 'http',
  async run(context) {
    const shop = await startShop(context, { port: 3400, extraOrders: context.size(100_000, 20) });
    try {
      await warmUp(context, shop);
      return [
        ...(await measureLag(context, shop, 100)),
        ...(await measureLag(context, shop, 500)),
        ...(await settled(context, shop, () => measureEndpoint(context, shop))),
        ...(await measurePages(context, shop)),
      ];
    } finally {
      await shop.stop();
    }
  },
};

let sent = 0;
/**
 * A command that touches a new stream each time (a new cart), so the workload measures the path, not conflicts.
 * Shoppers in `busy` are passed over: their open cart is still the one being checked out.
 */
function addToNewCart(shop: ShopUnderTest, busy: ReadonlySet<string> = new Set()) {
  let n = sent++;
  const customerOf = (index: number) => shop.customerIds[index % shop.customerIds.length]!;
  for (let tries = 0; busy.has(customerOf(n)); tries++) {
    // Sending anyway would put the item into a cart that is being checked out, and check it out twice;
    // `shopping` waits for a shopper to come free first, so this is a caller that did not.
    if (tries >= shop.customerIds.length) {
      throw new Error(`all ${shop.customerIds.length} bench shoppers are still waiting on their last checkout: the shop answers too slowly for this rate`);
    }
    n = sent++;
  }
  const customerId = customerOf(n);
  const request = shop.sessionCookie(customerId).then((cookie) =>
    sendCommand<{ cartId: string }>(shop.baseUrl, 'cart.addItem', cookie, {
      idempotencyKey: crypto.randomUUID(),
      productId: shop.productIds[n % shop.productIds.length]!,
      quantity: 1,
    }),
  );
  return { customerId, added: request.then((result) => ({ ...result, customerId })) };
}

/**
 * The lag workload: shoppers who put an item in a new cart and check it out, every other command. Adding
 * changes the cart's read model; checking out changes every other one (the order's pages, the history, daily
 * sales, the product's stock, both search indices), so each read model measured has real work to do.
 *
 * A shopper is not sent to add again until their checkout has answered: until it commits, their open cart is
 * the one being checked out, and an add sent meanwhile goes into it (as it should), and a second checkout of
 * it is refused. Under a slow spell (at 500 commands/s each of the 500 shoppers comes round every second),
 * the warm-up failed on exactly that.
 */
export function shopping(shop: ShopUnderTest): () => Promise<{ token: string | null; command: 'cart.addItem' | 'cart.checkOut' }> {
  let toCheckOut: Promise<{ cartId: string; customerId: string }> | null = null;
  const busy = new Set<string>();
  const checkingOut = new Set<Promise<unknown>>();
  return async () => {
    // Every shopper is waiting on a checkout (the smoke run's few shoppers, or a slow spell): the next add waits
    // for one of them to answer, so the rate achieved says the shop could not keep up. Checked again after each
    // wait, and the add below takes its shopper without awaiting, so two waiting calls never both add.
    while (!toCheckOut && busy.size >= shop.customerIds.length && checkingOut.size > 0) await Promise.race(checkingOut);
    if (!toCheckOut) {
      const { customerId, added } = addToNewCart(shop, busy);
      busy.add(customerId);
      toCheckOut = added;
      try {
        return { ...(await added), command: 'cart.addItem' };
      } catch (error) {
        busy.delete(customerId);
        throw error;
      }
    }
    const cart = toCheckOut;
    toCheckOut = null;
    // Counted from the moment the cart is taken: until its add has answered, the checkout waits on it, and its
    // shopper is as busy as one whose checkout is on the wire.
    const checkout = cart.then(async ({ cartId, customerId }) => {
      try {
        return await sendCommand(shop.baseUrl, 'cart.checkOut', await shop.sessionCookie(customerId), {
          idempotencyKey: crypto.randomUUID(),
          cartId,
          shippingAddress,
          card: approvedTestCard,
        });
      } finally {
        busy.delete(customerId);
      }
    });
    const settled = checkout.then(
      () => {},
      () => {},
    );
    checkingOut.add(settled);
    try {
      return { ...(await checkout), command: 'cart.checkOut' };
    } finally {
      checkingOut.delete(settled);
    }
  };
}

/** The address every checkout of the load ships to, as the checkout form sends it. */
const shippingAddress = { name: 'Bench Shopper', line1: '1 Load Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

/**
 * A running shop has compiled its routes, warmed its JIT and connection pools, and stored snapshots of its
 * busy products' streams (the generated log has none). Fifteen seconds of the workload at the first rate
 * measured, unmeasured, bring the shop under test to that state, so the rows measure the shop as it runs
 * rather than its first minute. With five seconds at half the rate, the first 10-second lag window measured
 * consistently slower than the ones after it: among other things, the pools were still opening connections,
 * and a new PostgreSQL connection starts with cold caches and no prepared statements.
 */
export async function warmUp(context: BenchContext, shop: ShopUnderTest): Promise<void> {
  const seconds = context.smoke ? 0.2 : 15;
  context.log(`warming up for ${seconds} s …`);
  const load = await steadyLoad(100, seconds, shopping(shop));
  if (load.failures.length > 0) throw new Error(`warm-up failed: ${String(load.failures[0])}`);
}

async function measureLag(context: BenchContext, shop: ShopUnderTest, rate: number): Promise<Measurement[]> {
  const seconds = context.smoke ? 0.5 : 10;
  context.log(`lag at ${rate} commands/s for ${seconds} s …`);
  const groups = await projectionGroups(shop);
  const pending: { token: LogPosition; receivedAt: number; seen: Map<string, number> }[] = [];
  // The entries some projection has not reached yet: the poller only walks these, so its cost stays flat
  // while `pending` grows (it shares the machine with the shop it measures).
  let open: typeof pending = [];
  let polling = true;
  let lastSend = performance.now();
  // The bench process watches the checkpoints directly: every 5 ms, far finer than the lags measured.
  const poller = (async () => {
    while (polling || open.length > 0) {
      const rows = await shop.db.sql.query<{ projection: string; transactionId: string; position: string }>(
        'select consumer as projection, transaction_id::text as "transactionId", position::text as position from consumer_checkpoints',
      );
      const now = performance.now();
      for (const row of rows) {
        const at = { transactionId: Number(row.transactionId), position: Number(row.position) };
        for (const entry of open) {
          if (!entry.seen.has(row.projection) && hasReached(at, entry.token)) entry.seen.set(row.projection, now);
        }
      }
      open = open.filter((entry) => groups.all.some((name) => !entry.seen.has(name)));
      if (!polling && now - lastSend > 30_000) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const send = shopping(shop);
  const load = await steadyLoad(rate, seconds, async () => {
    const { token } = await send();
    const position = token ? decodeToken(token) : null;
    // The response arrives just after the commit: lag is measured from here, so it slightly understates.
    if (position) {
      const entry = { token: position, receivedAt: performance.now(), seen: new Map<string, number>() };
      pending.push(entry);
      open.push(entry);
    }
    lastSend = performance.now();
  });
  polling = false;
  await poller;
  const lagOf = (names: string[]) =>
    pending.flatMap((entry) => {
      const times = names.map((name) => entry.seen.get(name));
      return times.every((time) => time !== undefined) ? [Math.max(...(times as number[])) - entry.receivedAt] : [];
    });
  for (const name of groups.all) {
    const { p50Ms, p99Ms } = percentiles(lagOf([name]));
    context.log(`  ${name}: lag p50 ${p50Ms.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms`);
  }
  const rows: Measurement[] = [];
  for (const [kind, names] of [['postgres', groups.postgres], ['elasticsearch', groups.elasticsearch]] as const) {
    if (names.length === 0) continue;
    const lags = lagOf(names);
    rows.push({
      id: `lag.r${rate}.${kind}`,
      group: 'lag',
      label: `command → visible in every ${kind === 'postgres' ? 'PostgreSQL read model' : 'Elasticsearch index'}`,
      scale: `${formatCount(load.results.length)} commands over ${seconds} s: cart.addItem and cart.checkOut, alternating`,
      concurrency: `${rate} commands/s (achieved ${load.achievedRate.toFixed(0)})`,
      metrics: { ...percentiles(lags), commandsPerSecond: load.achievedRate, unseen: pending.length - lags.length, failures: load.failures.length },
    });
  }
  return rows;
}

/** The PostgreSQL read models by name; the worker's other consumers (processes, reactors) are not read models. */
const postgresReadModels = new Set([...projections, ...postgresSearchBackend.consumers].map((consumer) => consumer.name));

async function projectionGroups(shop: ShopUnderTest) {
  const rows = await shop.db.sql.query<{ projection: string }>('select consumer as projection from consumer_checkpoints');
  const isSearchIndex = (name: string) => name.startsWith('product_search') || name.startsWith('order_search');
  const all = rows.map((row) => row.projection).filter((name) => postgresReadModels.has(name) || isSearchIndex(name));
  const elasticsearch = all.filter(isSearchIndex);
  // The full-text stand-in is not served when Elasticsearch is; its checkpoint row is left from the catch-up.
  const postgres = all.filter((name) => !elasticsearch.includes(name) && (elasticsearch.length === 0 || name !== 'text_search'));
  return { all: [...postgres, ...elasticsearch], postgres, elasticsearch };
}

/**
 * Runs `measure` once the shop has gone quiet: nothing appended and no consumer's checkpoint moved for three
 * seconds, and no timer of the fulfillment process due within the next minute. The lag rows leave thousands
 * of orders on their way (a paid order is handed to the warehouse 20 s later, delivered 30 s after dispatch),
 * which kept the worker and PostgreSQL busy for a minute or more: the endpoint's steps measured that traffic
 * beside their own, the first steps more than the last. Waits two minutes at most, and says how long.
 */
export async function settled<T>(context: BenchContext, shop: ShopUnderTest, measure: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const state = async () => {
    const [row] = await shop.db.sql.query<{ appended: string; moved: string | null; due: number }>(
      `select (select last_value from events_global_position_seq)::text as appended,
              (select max(updated_at) from consumer_checkpoints)::text as moved,
              (select count(*)::int from process_timers where state = 'scheduled' and due_at < now() + interval '1 minute') as due`,
    );
    return row!;
  };
  let last = await state();
  let quietSince = performance.now();
  while (performance.now() - started < (context.smoke ? 0 : 120_000)) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await state();
    if (now.appended !== last.appended || now.moved !== last.moved || now.due > 0) quietSince = performance.now();
    last = now;
    if (performance.now() - quietSince >= 3_000) break;
  }
  context.log(`the shop went quiet after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return measure();
}

/**
 * The command endpoint's highest sustained rate (p99 under 100 ms, nothing failed, at least 95% of the rate
 * asked for), for `cart.addItem` and, in the same run and the same way, for `system.ping`: a mutation that
 * does nothing (server/routers/system.ts), sent with the same session cookie through the same server and
 * HTTP edge. The ping is the framework's floor on this machine (Next.js, the edge, tRPC, superjson, the load
 * generator on the same cores); what `cart.addItem` costs beyond it is the command's own. Every step tried
 * is a row of its own, so the report shows where and why each stopped keeping up.
 */
async function measureEndpoint(context: BenchContext, shop: ShopUnderTest): Promise<Measurement[]> {
  const ping = async () => {
    const cookie = await shop.sessionCookie(shop.customerIds[sent++ % shop.customerIds.length]!);
    await sendCommand(shop.baseUrl, 'system.ping', cookie, {});
  };
  return [
    ...(await rateLadder(context, { id: 'endpoint.floor', what: 'system.ping (no-op mutation, the floor)', send: ping })),
    ...(await rateLadder(context, { id: 'endpoint', what: 'cart.addItem', send: () => addToNewCart(shop).added })),
  ];
}

/**
 * Rates doubling from 25/s until a step is not sustained, then from the last sustained one up in steps of a
 * tenth until one is not: the highest sustained rate to within about 10%, in a dozen five-second steps, where
 * the doubling alone would be off by up to half (and so would a ratio of two such rates).
 */
async function rateLadder(
  context: BenchContext,
  workload: { id: string; what: string; send: () => Promise<unknown> },
): Promise<Measurement[]> {
  const seconds = context.smoke ? 0.5 : 5;
  const rows: Measurement[] = [];
  const tried: number[] = [];
  const step = async (rate: number): Promise<boolean> => {
    context.log(`${workload.what} at ${rate}/s …`);
    tried.push(rate);
    const load = await steadyLoad(rate, seconds, async () => {
      const started = performance.now();
      await workload.send();
      return performance.now() - started;
    });
    const { p50Ms, p99Ms } = percentiles(load.results.map((result) => result.value));
    const sustained = load.failures.length === 0 && p99Ms < 100 && load.achievedRate >= rate * 0.95;
    rows.push({
      id: `${workload.id}.r${rate}`,
      group: 'endpoint',
      label: `${workload.what} over HTTP at ${rate}/s: ${sustained ? 'sustained' : 'not sustained'}`,
      scale: `${formatCount(load.results.length)} commands over ${seconds} s`,
      concurrency: `${rate} commands/s, open loop`,
      metrics: { commandsPerSecond: load.achievedRate, p50Ms, p99Ms, failures: load.failures.length },
    });
    return sustained;
  };
  let best = 0;
  if (context.smoke) {
    if (await step(20)) best = 20;
  } else {
    let failedAt = Number.POSITIVE_INFINITY;
    for (let rate = 25; rate <= 6_400; rate *= 2) {
      if (!(await step(rate))) {
        failedAt = rate;
        break;
      }
      best = rate;
    }
    for (let rate = Math.round(best * 1.1); best > 0 && rate < failedAt; rate = Math.round(rate * 1.1)) {
      if (!(await step(rate))) break;
      best = rate;
    }
  }
  rows.unshift({
    id: `${workload.id}.max`,
    group: 'endpoint',
    label: `highest sustained rate with p99 < 100 ms (${workload.what} over HTTP)`,
    scale: `${seconds} s per step`,
    concurrency: `steps of ${tried.join(', ')} commands/s`,
    metrics: { commandsPerSecond: best },
  });
  return rows;
}

/** Server response time of two pages, full HTML, one request at a time after a warm-up. */
async function measurePages(context: BenchContext, shop: ShopUnderTest): Promise<Measurement[]> {
  const count = context.size(200, 5);
  const [busiest] = await shop.db.sql.query<{ customerId: string; orders: number }>(
    `select customer_id as "customerId", count(*)::int as orders from customer_orders
     group by customer_id order by count(*) desc limit 1`,
  );
  const customer = busiest?.customerId ?? shop.customerIds[0]!;
  const cookie = await shop.sessionCookie(customer);
  const [{ orders } = { orders: 0 }] = await shop.db.sql.query<{ orders: number }>('select count(*)::int as orders from order_details');
  const pages = [
    { id: 'pages.search', label: 'storefront search page (/search?q=walnut)', path: '/search?q=walnut' },
    { id: 'pages.orders', label: `order-history page (/orders) of the busiest customer (${busiest?.orders ?? 0} orders)`, path: '/orders' },
  ];
  const rows: Measurement[] = [];
  for (const page of pages) {
    context.log(`page ${page.path} …`);
    const load = async () => {
      const started = performance.now();
      const response = await fetch(`${shop.baseUrl}${page.path}`, { headers: { cookie } });
      await response.text();
      if (!response.ok) throw new Error(`${page.path} answered ${response.status}`);
      return performance.now() - started;
    };
    for (let i = 0; i < Math.min(10, count); i++) await load();
    const samples: number[] = [];
    for (let i = 0; i < count; i++) samples.push(await load());
    const { p50Ms, p95Ms } = percentiles(samples);
    rows.push({
      id: page.id,
      group: 'pages',
      label: page.label,
      scale: `${formatCount(count)} requests, ${formatCount(orders)} orders in the store`,
      concurrency: '1 client',
      metrics: { p50Ms, p95Ms },
    });
  }
  return rows;
}
