import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { testNatsUrl } from '@/contracts/testing';
import { fulfillmentStreamId } from '@/domain';
import { warehouseCounts } from '@/services/warehouse';
import { shipmentInboxName } from './inbox';
import { consumerCaughtUp, eventCountsByOrder, ordersNotMatching, shipmentRequestedEvent, storedMessages, until, useIntegrationTest } from './testing';

/**
 * The relay killed with SIGKILL again and again while shipment requests keep arriving, half the times right
 * after JetStream acknowledged a batch and before the checkpoint moved (the crash window), the other half at
 * a random moment. Nothing is lost, because a request stays after the relay's checkpoint until its publish
 * was acknowledged; nothing is doubled, because the batch published again carries the same message ids (the
 * event ids), which JetStream drops within its duplicate window, and which the warehouse's inbox would drop
 * after it. The real warehouse answers every request, and the shop's inbox turns each answer into one
 * `ShipmentDispatched`.
 */
const ctx = useIntegrationTest();
const requests = 300;
/** One request every 30 ms: about ten seconds of load, over which the relay dies ten times or more. */
const appendEveryMs = 30;
const minimumKills = 10;

type RelayRun = { readonly selfKill: boolean; readonly publishes: number; readonly duplicates: number };

/** The relay fixture as a child process; resolves once it has started, to a handle that kills it. */
async function startRelay(dieAfterBatch: number) {
  const { db, names } = ctx;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'integration/relay.fixture.ts', db.url, testNatsUrl, names.stream, names.prefix, String(dieAfterBatch)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  let output = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = pending + chunk.toString();
    const complete = text.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (signal ?? code) as string | number);
  let gone = false;
  void exited.then(() => (gone = true));
  // Whatever happens to the test, no relay outlives it (it holds connections to the database dropped after).
  ctx.defer(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  await until(() => gone || lines.some((line) => line.msg === 'relay running'), 'the relay fixture to start', 20_000);
  if (!lines.some((line) => line.msg === 'relay running')) throw new Error(`the relay fixture exited at start:\n${output}`);
  return {
    exited,
    kill: () => child.kill('SIGKILL'),
    /** What it reported before it died. */
    run: (): RelayRun => {
      const published = lines.filter((line) => line.msg === 'published');
      return {
        selfKill: lines.some((line) => line.msg === 'dying after a publish, before its checkpoint'),
        publishes: published.length,
        duplicates: published.reduce((sum, line) => sum + (line.duplicates as number), 0),
      };
    },
    output: () => output,
  };
}

describe('the relay killed between publish and checkpoint, repeatedly, under load', () => {
  it('gets every shipment request to the warehouse once, and every answer back to the shop once', async () => {
    const shop = ctx.transport();
    await shop.ensureStream();
    await ctx.warehouse(ctx.transport({ name: 'hindsight-test-warehouse' }));
    ctx.shopInbox(shop);

    const orderIds: string[] = [];
    const appending = (async () => {
      for (let i = 0; i < requests; i++) {
        const event = shipmentRequestedEvent();
        await ctx.store.append(fulfillmentStreamId(event.data.orderId), [event], {
          expectedVersion: 'no_stream',
          metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:fulfillment', source: 'test' },
        });
        orderIds.push(event.data.orderId);
        await sleep(appendEveryMs);
      }
    })();
    let appended = false;
    // Settled either way; a failed append is rethrown where `appending` is awaited below.
    const done = () => void (appended = true);
    void appending.then(done, done);

    const runs: RelayRun[] = [];
    while (!appended || runs.length < minimumKills) {
      // Every other run dies on its own right after its first, second or third acknowledged publish; the others
      // are killed from outside 200 to 600 ms after they started, wherever they are.
      const relay = await startRelay(runs.length % 2 === 0 ? 1 + ((runs.length / 2) % 3) : 0);
      const diedAlready = await Promise.race([relay.exited.then(() => true), sleep(200 + Math.random() * 400).then(() => false)]);
      if (!diedAlready) relay.kill();
      expect(await relay.exited, relay.output()).toBe('SIGKILL');
      runs.push(relay.run());
    }
    await appending;

    // The last relay is left alone until everything went through.
    const last = await startRelay(0);
    const [requested] = await ctx.db.sql.query<{ ids: string[] }>(
      "select coalesce(json_agg(event_id::text), '[]') as ids from events where event_type = 'ShipmentRequested'",
    );
    expect(requested!.ids).toHaveLength(requests);
    await until(
      async () => {
        const [row] = await ctx.db.sql.query<{ received: number; dispatched: number }>(
          `select (select count(*)::int from warehouse.inbox) as received,
                  (select count(*)::int from events where event_type = 'ShipmentDispatched') as dispatched`,
        );
        return row!.received >= requests && row!.dispatched >= requests;
      },
      'every request answered and its answer appended',
      60_000,
    );
    await consumerCaughtUp(ctx.names.stream, 'warehouse');
    await consumerCaughtUp(ctx.names.stream, shipmentInboxName);

    // The warehouse received each request once: its inbox holds every request's id, once.
    const received = await ctx.db.sql.query<{ message_id: string }>('select message_id from warehouse.inbox');
    expect(received.map((row) => row.message_id).sort()).toEqual([...requested!.ids].sort());
    const shipments = await ctx.db.sql.query<{ order_id: string }>('select order_id from warehouse.shipments');
    expect(shipments.map((row) => row.order_id).sort()).toEqual([...orderIds].sort());
    await until(async () => (await warehouseCounts(ctx.db.sql)).outbox.unpublished === 0, 'the warehouse outbox to be sent');
    expect((await warehouseCounts(ctx.db.sql)).shipments).toMatchObject({ dispatched: requests, received: 0, picked: 0, packed: 0 });
    // JetStream stored each request's message id once, however often the relay sent it.
    const stored = await storedMessages(ctx.names.stream, shop.subjects.of('shipment.requested'));
    expect(stored.map((message) => message.id).sort()).toEqual([...requested!.ids].sort());
    // Each answer reached the shop once: one ShipmentDispatched per order.
    const counts = await eventCountsByOrder(ctx.db.sql, orderIds, ['ShipmentDispatched']);
    expect(ordersNotMatching(counts, { ShipmentDispatched: 1 })).toEqual([]);

    const kills = runs.length;
    const selfKills = runs.filter((run) => run.selfKill).length;
    const everyRun = [...runs, last.run()];
    const publishes = everyRun.reduce((sum, run) => sum + run.publishes, 0);
    const duplicates = everyRun.reduce((sum, run) => sum + run.duplicates, 0);
    console.info(
      `relay killed ${kills} times (${selfKills} right after a publish, before its checkpoint); ${publishes} publishes acknowledged, ` +
        `in which JetStream took ${duplicates} messages as repeats (duplicate: true) and stored them once`,
    );
    expect(kills).toBeGreaterThanOrEqual(minimumKills);
    expect(selfKills).toBeGreaterThan(0);
    // A batch published before a crash is published again: the repeats were there, and JetStream absorbed them.
    expect(duplicates).toBeGreaterThan(0);
  }, 120_000);
});
