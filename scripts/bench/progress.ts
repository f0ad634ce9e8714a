import { decodeToken, hasReached, type LogPosition } from '@/db/event-store';
import { projections } from '@/projections';
import { followProgress } from '@/server/progress/client';
import { shopping } from './http';
import { startShop, type ShopUnderTest } from './shop-under-test';
import { formatCount, percentiles, steadyLoad, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Commit → browser notified over server-sent events: the shop under command load (the lag rows' workload,
 * 100 commands/s), one SSE client on GET /api/progress as a browser holds it, and for each command the time
 * from its response until the stream said that its read models had reached its token. That includes each
 * read model's own lag; the push's own share is measured beside it, against the bench watching the
 * checkpoints table directly every 2 ms.
 */
export const progressSuite: BenchSuite = {
  name: 'progress',
  async run(context) {
    const shop = await startShop(context, { port: 3452, extraOrders: context.size(2_000, 20) });
    try {
      await warmUp(context, shop);
      // 100 commands/s is the rate; at 25 the web server is not saturated on a machine shared with
      // other work, so the push's own share shows apart from the commands queued in front of it.
      return [...(await measureProgress(context, shop, 100)), ...(await measureProgress(context, shop, 25))];
    } finally {
      await shop.stop();
    }
  },
};

/**
 * The lag rows' warm-up (http.ts), except that a command the shop refused under load (a conflict retried too
 * often, the gateway slow to answer on a machine shared with other work) is counted, not fatal: the rows
 * measure the push, and they say how many commands failed.
 */
async function warmUp(context: BenchContext, shop: ShopUnderTest): Promise<void> {
  const seconds = context.smoke ? 0.2 : 15;
  context.log(`warming up for ${seconds} s …`);
  const load = await steadyLoad(100, seconds, shopping(shop));
  if (load.failures.length > 0) context.log(`  ${load.failures.length} commands failed while warming up: ${String(load.failures[0])}`);
}

type Entry = { token: LogPosition; receivedAt: number; pushed: Map<string, number>; seen: Map<string, number> };

async function measureProgress(context: BenchContext, shop: ShopUnderTest, rate: number): Promise<Measurement[]> {
  const seconds = context.smoke ? 0.5 : 10;
  const postgres = new Set(projections.map((projection) => projection.name));
  const pending: Entry[] = [];
  const streamed = new Set<string>();
  const stop = new AbortController();
  const note = (entries: readonly Entry[], name: string, at: LogPosition, time: number, into: 'pushed' | 'seen') => {
    for (const entry of entries) if (!entry[into].has(name) && hasReached(at, entry.token)) entry[into].set(name, time);
  };
  let opened: () => void = () => {};
  const open = new Promise<void>((resolve) => (opened = resolve));
  const client = followProgress(
    `${shop.baseUrl}/api/progress`,
    (positions, arrivedAt) => {
      opened();
      for (const [name, token] of Object.entries(positions)) {
        streamed.add(name);
        const at = decodeToken(token);
        if (at) note(pending, name, at, arrivedAt, 'pushed');
      }
    },
    stop.signal,
  );
  await open;
  // The bench's own look at the checkpoints, every 2 ms: where the push starts from.
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const rows = await shop.db.sql.query<{ consumer: string; transactionId: string; position: string }>(
        'select consumer, transaction_id::text as "transactionId", position::text as position from consumer_checkpoints',
      );
      const now = performance.now();
      for (const row of rows) {
        note(pending, row.consumer, { transactionId: Number(row.transactionId), position: Number(row.position) }, now, 'seen');
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();

  context.log(`commit → SSE at ${rate} commands/s for ${seconds} s …`);
  const send = shopping(shop);
  const load = await steadyLoad(rate, seconds, async () => {
    const { token } = await send();
    const position = token ? decodeToken(token) : null;
    if (position) pending.push({ token: position, receivedAt: performance.now(), pushed: new Map(), seen: new Map() });
  });
  const names = [...streamed];
  const done = () => pending.every((entry) => names.every((name) => entry.pushed.has(name) && entry.seen.has(name)));
  for (const deadline = performance.now() + 30_000; !done() && performance.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  watching = false;
  await watcher;
  stop.abort();
  await client;

  const rows: Measurement[] = [];
  const scale = `${formatCount(load.results.length)} commands over ${seconds} s: cart.addItem and cart.checkOut, alternating`;
  const concurrency = `${rate} commands/s (achieved ${load.achievedRate.toFixed(0)}), 1 SSE client`;
  const kinds = [
    ['postgres', names.filter((name) => postgres.has(name)), 'PostgreSQL read model'],
    ['elasticsearch', names.filter((name) => !postgres.has(name) && name !== 'text_search'), 'Elasticsearch index'],
  ] as const;
  for (const [kind, kindNames, what] of kinds) {
    if (kindNames.length === 0) continue;
    const notified = pending.flatMap((entry) => {
      const times = kindNames.map((name) => entry.pushed.get(name));
      return times.every((time) => time !== undefined) ? [Math.max(...(times as number[])) - entry.receivedAt] : [];
    });
    rows.push({
      id: `progress.r${rate}.${kind}`,
      group: 'lag',
      label: `command → browser notified over SSE that every ${what} has it`,
      scale,
      concurrency,
      metrics: { ...percentiles(notified), commandsPerSecond: load.achievedRate, unseen: pending.length - notified.length, failures: load.failures.length },
    });
  }
  // The push's own delay: from the checkpoint being visible in the table to the event on the stream.
  const pushDelays = pending.flatMap((entry) =>
    [...postgres].flatMap((name) => {
      const pushed = entry.pushed.get(name);
      const seen = entry.seen.get(name);
      return pushed !== undefined && seen !== undefined ? [Math.max(0, pushed - seen)] : [];
    }),
  );
  rows.push({
    id: `progress.r${rate}.push`,
    group: 'lag',
    label: 'checkpoint committed → browser notified over SSE (PostgreSQL read models; the bench watching the table every 2 ms)',
    scale,
    concurrency,
    metrics: { ...percentiles(pushDelays), commandsPerSecond: load.achievedRate, failures: load.failures.length },
  });
  for (const row of rows) context.log(`  ${row.id}: p50 ${row.metrics.p50Ms?.toFixed(1)} ms, p99 ${row.metrics.p99Ms?.toFixed(1)} ms`);
  return rows;
}
