import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { freePort } from '@/contracts/testing';
import { postgresSearch } from '@/server/search';
import { useRouterHarness } from '@/server/testing';
import { handleApiRequest } from '@/server/trpc/http';

/**
 * `npm run worker` as it runs in the full stack: a process of its own on this file's database, serving its
 * metrics on WORKER_METRICS_PORT (a free port, so runs side by side do not meet), where the batches of the
 * consumers it runs show up. The web server's /api/metrics has the lag; the worker's has what it applied.
 */
const harness = useRouterHarness();
const port = await freePort();
const url = `http://127.0.0.1:${port}/metrics`;

/** A guest's first cart.addItem, through the API's HTTP edge as a browser sends it. */
function addItem(productId: string): Promise<Response> {
  const input = { idempotencyKey: randomUUID(), productId, quantity: 1 };
  const request = new Request('http://localhost:3999/api/trpc/cart.addItem', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(superjson.serialize(input)),
  });
  return handleApiRequest(request, { database: harness, auth: harness.auth, search: postgresSearch, payments: harness.payments });
}

/** The value of one series in the exposition text, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The metrics text once `accept` takes it, polled every 100 ms for up to `timeoutMs`. */
async function scrapeUntil(accept: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const text = await fetch(url).then(
      (response) => (response.ok ? response.text() : ''),
      () => '',
    );
    if (text && accept(text)) return text;
    last = text;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; last scrape:\n${last.slice(0, 2_000)}`);
}

describe("the worker's metrics server", () => {
  it('serves the batches of the consumers the worker runs on WORKER_METRICS_PORT', async () => {
    const product = await harness.listProduct(10);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: harness.db.url!, WORKER_METRICS_PORT: String(port), LOG_LEVEL: 'warn' };
    // Search by PostgreSQL full text, the broker in process and the gateway simulator inside the worker:
    // only the database is shared with this test.
    for (const name of ['ELASTICSEARCH_URL', 'NATS_URL', 'PAYMENTS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'METRICS_HOST']) delete env[name];
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/main/worker.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(worker, 'exit');
    try {
      const applied = 'hindsight_consumer_events_applied_total{consumer="carts"}';
      // The catch-up from zero applies the listing's events; the cart read model has none of those yet.
      const started = await scrapeUntil((text) => text.includes('hindsight_consumer_batch_duration_seconds_count{consumer="product_catalog"}'), 'the catch-up').catch(
        (error: unknown) => Promise.reject(new Error(`${String(error)}\nworker output:\n${output}`)),
      );
      expect(started).toContain('process_cpu_seconds_total');
      // The lag is the web server's to export: the worker's would double every series.
      expect(started).not.toContain('hindsight_consumer_lag_events');

      expect((await addItem(product.productId)).status).toBe(200);
      const after = await scrapeUntil((text) => (sample(text, applied) ?? 0) > (sample(started, applied) ?? 0), 'the cart batch');
      expect(sample(after, 'hindsight_consumer_batch_duration_seconds_count{consumer="carts"}')).toBeGreaterThanOrEqual(1);

      const elsewhere = await fetch(url.replace('/metrics', '/'));
      expect(elsewhere.status).toBe(404);
    } finally {
      worker.kill('SIGTERM');
      await exited;
    }
    // SIGTERM stops it cleanly, metrics server and all.
    expect(worker.exitCode, output).toBe(0);
  });
});
