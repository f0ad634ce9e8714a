import { createHash, timingSafeEqual } from 'node:crypto';
import { Gauge, Registry } from 'prom-client';
import type { Orm } from '@/db/client';
import { readConsumerStatus, type ConsumerStatus } from '@/db/consumers';
import { logger } from '../logger';
import { metrics } from './metrics';

/**
 * How long a scrape waits for the consumers' lag. Prometheus gives a scrape 10 s by default; a database that
 * hangs (rather than refuses) must still leave time to answer with everything else and the error counted.
 */
const lagTimeoutMs = 5_000;

/**
 * The text a scrape answers: this process's metrics, and with `lagOf` every consumer's lag, read from the
 * checkpoint table at scrape time. Lag is the same table whichever process reads it, so only the web server
 * exports it (server/telemetry/endpoint.ts): a worker exporting it too would double every series.
 */
export async function scrapeMetrics(lagOf?: () => Promise<Orm>): Promise<{ text: string; contentType: string }> {
  const { registry } = metrics();
  if (!lagOf) return { text: await registry.metrics(), contentType: registry.contentType };
  // The lag first: a failed read counts into the process's registry, and this scrape already shows it.
  const lag = await lagRegistry(lagOf);
  const merged = Registry.merge([registry, lag]);
  return { text: await merged.metrics(), contentType: registry.contentType };
}

/**
 * A registry of this scrape's own, made afresh each time: a consumer that no longer exists drops out, and a
 * database that cannot be read leaves the lag series absent (not stale, not zero) with `_lag_up` 0.
 */
async function lagRegistry(lagOf: () => Promise<Orm>): Promise<Registry> {
  const registry = new Registry();
  const events = new Gauge({
    name: 'hindsight_consumer_lag_events',
    help: "Committed events after the consumer's checkpoint: how far behind it is, in events.",
    labelNames: ['consumer'] as const,
    registers: [registry],
  });
  const seconds = new Gauge({
    name: 'hindsight_consumer_lag_seconds',
    help: 'How long the oldest event the consumer has not read yet has been waiting; 0 when it is caught up.',
    labelNames: ['consumer'] as const,
    registers: [registry],
  });
  const throughput = new Gauge({
    name: 'hindsight_consumer_throughput_events_per_second',
    help: 'Events the consumer read per second over about the last minute, from the lag samples; absent until the first sample.',
    labelNames: ['consumer'] as const,
    registers: [registry],
  });
  const up = new Gauge({
    name: 'hindsight_consumer_lag_up',
    help: '1 when the consumer lag could be read from the database at this scrape, 0 when it could not.',
    registers: [registry],
  });
  // At 0 from the first scrape, so that increase() sees the first error rather than a series appearing at 1.
  metrics().scrapeErrors.inc({ part: 'consumer_lag' }, 0);
  try {
    for (const status of await withinTimeout(async () => readConsumerStatus(await lagOf()))) {
      events.set({ consumer: status.consumer }, status.behindEvents);
      seconds.set({ consumer: status.consumer }, status.lagSeconds);
      if (status.eventsPerSecond !== null) throughput.set({ consumer: status.consumer }, status.eventsPerSecond);
    }
    up.set(1);
  } catch (error) {
    // The database down is what the scrape must still report, not a reason to answer 500.
    logger.warn({ err: error }, "metrics: could not read the consumers' lag");
    metrics().scrapeErrors.inc({ part: 'consumer_lag' });
    up.set(0);
  }
  return registry;
}

function withinTimeout(read: () => Promise<ConsumerStatus[]>): Promise<ConsumerStatus[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the consumers' lag took more than ${lagTimeoutMs} ms to read`)), lagTimeoutMs);
  });
  return Promise.race([read(), timeout]).finally(() => clearTimeout(timer));
}

/** Whether the request carries the bearer token, compared in constant time. */
export function hasBearerToken(headers: Headers, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * GET /api/metrics: the scrape, refused with 401 JSON when a token is configured and the request lacks it.
 * Nothing a backend does makes it fail (the lag is absent instead); a failure of the scrape itself answers
 * 503 JSON, so a scraper sees the target down rather than a server error page.
 */
export async function metricsResponse(request: Request, options: { token?: string; lagOf?: () => Promise<Orm> }): Promise<Response> {
  const headers = { 'cache-control': 'no-store' };
  if (options.token && !hasBearerToken(request.headers, options.token)) {
    return Response.json(
      { message: 'The metrics need the bearer token METRICS_TOKEN (Authorization: Bearer <token>).' },
      { status: 401, headers: { ...headers, 'www-authenticate': 'Bearer realm="metrics"' } },
    );
  }
  try {
    const { text, contentType } = await scrapeMetrics(options.lagOf);
    return new Response(text, { headers: { ...headers, 'content-type': contentType } });
  } catch (error) {
    logger.error({ err: error }, 'metrics: the scrape failed');
    return Response.json({ message: 'The metrics could not be collected; see the server log.' }, { status: 503, headers });
  }
}
