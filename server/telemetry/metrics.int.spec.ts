import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { connect } from '@/db/client';
import { catchUp } from '@/db/consumers';
import { consumerCheckpoints, consumerLagSamples } from '@/db/schema/event-store';
import { projections } from '@/projections';
import { postgresSearch } from '@/server/search';
import { useRouterHarness } from '@/server/testing';
import { handleApiRequest } from '@/server/trpc/http';
import { measuredConsumer } from './measured-consumer';
import { measuredEventStore } from './measured-store';
import { clearRebuildProgress, setRebuildProgress } from './metrics';
import { startMetricsServer } from './metrics-server';
import { metricsResponse } from './scrape';

/**
 * The Prometheus metrics, as a scrape reads them: calls through the API's HTTP edge, the appends they make
 * and the consumers' lag, from this file's own database.
 */
const harness = useRouterHarness();

/** The API's edge over this file's database, its event store measured as the server's is (server/db.ts). */
function callApi(path: string, init: RequestInit = {}): Promise<Response> {
  const backends = {
    database: { db: harness.db, store: measuredEventStore(harness.store) },
    auth: harness.auth,
    search: postgresSearch,
    payments: harness.payments,
  };
  return handleApiRequest(new Request(`http://localhost:3999/api/trpc/${path}`, init), backends);
}

function addItem(productId: string): Promise<Response> {
  const input = { idempotencyKey: randomUUID(), productId, quantity: 1 };
  return callApi('cart.addItem', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(superjson.serialize(input)) });
}

async function scrape(options: { token?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const request = new Request('http://localhost:3999/api/metrics', { headers: options.headers });
  return metricsResponse(request, { token: options.token, lagOf: async () => harness.db.orm });
}

/** The value of one series in the exposition text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the metrics endpoint', () => {
  it('counts and times calls by procedure and result code, and the appends they made', async () => {
    const product = await harness.listProduct(10);
    const before = await (await scrape()).text();
    const ok = 'hindsight_trpc_requests_total{procedure="cart.addItem",type="mutation",code="OK"}';
    const refused = 'hindsight_trpc_requests_total{procedure="cart.addItem",type="mutation",code="BAD_REQUEST"}';
    const appended = 'hindsight_event_store_append_duration_seconds_count{outcome="appended"}';

    expect((await addItem(product.productId)).status).toBe(200);
    expect((await addItem(product.productId)).status).toBe(200);
    expect((await addItem('')).status).toBe(400);

    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, ok)).toBe((sample(before, ok) ?? 0) + 2);
    expect(sample(text, refused)).toBe((sample(before, refused) ?? 0) + 1);
    expect(sample(text, 'hindsight_trpc_request_duration_seconds_count{procedure="cart.addItem",type="mutation"}')).toBeGreaterThanOrEqual(3);
    expect(text).toContain('hindsight_trpc_request_duration_seconds_bucket{le="0.005",procedure="cart.addItem",type="mutation"}');
    expect(sample(text, appended)).toBeGreaterThanOrEqual((sample(before, appended) ?? 0) + 2);
    expect(sample(text, 'hindsight_events_appended_total')).toBeGreaterThanOrEqual((sample(before, 'hindsight_events_appended_total') ?? 0) + 2);
    // prom-client's process metrics come along.
    expect(text).toContain('process_cpu_seconds_total');
  });

  it("shows every consumer's lag in events and seconds and its throughput, read from the database at the scrape", async () => {
    const product = await harness.listProduct(10);
    expect((await addItem(product.productId)).status).toBe(200);
    const [carts] = projections.filter((projection) => projection.name.startsWith('carts'));
    await catchUp({ orm: harness.db.orm, store: harness.store }, carts!, { batchSize: 100 });
    const caughtUp = await (await scrape()).text();
    expect(sample(caughtUp, `hindsight_consumer_lag_events{consumer="${carts!.name}"}`)).toBe(0);
    expect(sample(caughtUp, `hindsight_consumer_lag_seconds{consumer="${carts!.name}"}`)).toBe(0);
    expect(sample(caughtUp, 'hindsight_consumer_lag_up')).toBe(1);
    // No lag sample yet (no engine runs here): no throughput rather than a made-up 0.
    expect(caughtUp).not.toContain(`hindsight_consumer_throughput_events_per_second{consumer="${carts!.name}"}`);
    // A sample as one taken 70 s ago, 70 events before where the consumer stands now: 1 event/s.
    const [checkpoint] = await harness.db.orm
      .select({ eventsRead: consumerCheckpoints.eventsRead })
      .from(consumerCheckpoints)
      .where(eq(consumerCheckpoints.consumer, carts!.name));
    const ago = sql`now() - interval '70 seconds'`;
    await harness.db.orm
      .insert(consumerLagSamples)
      .values({ consumer: carts!.name, bucket: ago, sampledAt: ago, eventsRead: checkpoint!.eventsRead - 70, behindEvents: 0, lagSeconds: 0 });
    const measured = await (await scrape()).text();
    expect(sample(measured, `hindsight_consumer_throughput_events_per_second{consumer="${carts!.name}"}`)).toBeCloseTo(1, 1);
    expect(sample(caughtUp, 'hindsight_metrics_scrape_errors_total{part="consumer_lag"}')).toBeDefined();

    expect((await addItem(product.productId)).status).toBe(200);
    const behind = await (await scrape()).text();
    expect(sample(behind, `hindsight_consumer_lag_events{consumer="${carts!.name}"}`)).toBeGreaterThanOrEqual(1);
    expect(sample(behind, `hindsight_consumer_lag_seconds{consumer="${carts!.name}"}`)).toBeGreaterThan(0);
  });

  it('answers a scrape while the database is down: the lag series absent, the failed read counted', async () => {
    // A database nobody answers for: nothing listens on port 1.
    const unreachable = connect('postgres://postgres@127.0.0.1:1/hindsight', { max: 1 });
    try {
      const errors = 'hindsight_metrics_scrape_errors_total{part="consumer_lag"}';
      const before = sample(await (await scrape()).text(), errors) ?? 0;
      const response = await metricsResponse(new Request('http://localhost:3999/api/metrics'), { lagOf: async () => unreachable.orm });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(sample(text, 'hindsight_consumer_lag_up')).toBe(0);
      expect(text).not.toMatch(/^hindsight_consumer_lag_events\{/m);
      expect(text).not.toMatch(/^hindsight_consumer_lag_seconds\{/m);
      expect(sample(text, errors)).toBe(before + 1);
      // The rest of the process's metrics are there as ever.
      expect(text).toContain('hindsight_trpc_requests_total');

      // A database that cannot be opened at all (serverDatabase() rejecting) is the same absent lag.
      const unopened = await metricsResponse(new Request('http://localhost:3999/api/metrics'), {
        lagOf: () => Promise.reject(new Error('could not open the database')),
      });
      expect(unopened.status).toBe(200);
      expect(sample(await unopened.text(), errors)).toBe(before + 2);
    } finally {
      await unreachable.close();
    }
  });

  it('exports rebuild progress only while a rebuild has set it', async () => {
    const series = (name: string) => `${name}{read_model="orders_v9"}`;
    const names = ['hindsight_rebuild_progress_ratio', 'hindsight_rebuild_events_done', 'hindsight_rebuild_events_total'];
    const before = await (await scrape()).text();
    for (const name of names) expect(sample(before, series(name))).toBeUndefined();

    setRebuildProgress('orders_v9', { done: 250, total: 1_000 });
    const running = await (await scrape()).text();
    expect(sample(running, series('hindsight_rebuild_progress_ratio'))).toBe(0.25);
    expect(sample(running, series('hindsight_rebuild_events_done'))).toBe(250);
    expect(sample(running, series('hindsight_rebuild_events_total'))).toBe(1_000);

    // More done than there was to do (the total read before the log grew) is done, never more than 1.
    setRebuildProgress('orders_v9', { done: 1_010, total: 1_000 });
    expect(sample(await (await scrape()).text(), series('hindsight_rebuild_progress_ratio'))).toBe(1);

    clearRebuildProgress('orders_v9');
    const ended = await (await scrape()).text();
    for (const name of names) expect(sample(ended, series(name))).toBeUndefined();
  });

  it('refuses a scrape without the configured bearer token with 401 JSON, and serves one with it', async () => {
    const token = 'metrics-token-0123456789';
    const refusals: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: token }];
    for (const headers of refusals) {
      const refused = await scrape({ token, headers });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/json');
      expect(refused.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await refused.json()) as { message: string }).message).toContain('METRICS_TOKEN');
    }
    const allowed = await scrape({ token, headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('hindsight_trpc_requests_total');
  });
});

describe("a worker's metrics server", () => {
  it('listens on the port it is given and serves the batch metrics of the consumers it ran', async () => {
    const product = await harness.listProduct(10);
    expect((await addItem(product.productId)).status).toBe(200);
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const consumer = measuredConsumer(projections.find((projection) => projection.name.startsWith('carts'))!);
      const name = consumer.name;
      const before = await (await fetch(server.url)).text();
      const applied = `hindsight_consumer_events_applied_total{consumer="${name}"}`;
      await catchUp({ orm: harness.db.orm, store: harness.store }, consumer, { batchSize: 100 });

      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(sample(text, `hindsight_consumer_batch_duration_seconds_count{consumer="${name}"}`)).toBeGreaterThanOrEqual(1);
      expect(sample(text, applied)).toBeGreaterThan(sample(before, applied) ?? 0);
      // The lag is the web server's to export: a worker's would double every series.
      expect(text).not.toContain('hindsight_consumer_lag_events');

      const elsewhere = await fetch(server.url.replace('/metrics', '/other'));
      expect(elsewhere.status).toBe(404);
      expect(((await elsewhere.json()) as { message: string }).message).toContain('/metrics');
    } finally {
      await server.close();
    }
  });
});
