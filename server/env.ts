import { z } from 'zod';

/**
 * Every setting Hindsight reads, validated once. Code imports `env`; nothing else reads process.env.
 * The README's configuration reference lists the same variables.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /**
   * A PostgreSQL server for the event store and read models. Unset: the embedded database (PGlite) in
   * EMBEDDED_DATA_DIR, with every consumer of the log running inside the web server.
   */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Where the embedded database keeps its data when DATABASE_URL is unset. */
  EMBEDDED_DATA_DIR: z.string().min(1).default('.data/pglite'),
  /**
   * Zero setup only: open the embedded database, and run the consumers, on a worker thread of the web server
   * instead of its own thread. Pages then no longer wait for the consumers, but every statement crosses
   * threads; docs/run-modes.md has the measured trade.
   */
  EMBEDDED_THREAD: z.stringbool().default(false),
  /**
   * Elasticsearch for the search read models (scripts/elasticsearch.sh runs a local node at
   * http://127.0.0.1:9200). Unset: search is a PostgreSQL full-text read model.
   */
  ELASTICSEARCH_URL: z
    .url({ protocol: /^https?$/, error: 'ELASTICSEARCH_URL must be an http:// or https:// URL' })
    .optional(),
  /** Prefix of the search indices' aliases, so several installations can share one cluster. */
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'ELASTICSEARCH_INDEX_PREFIX must be lowercase letters, digits, _ or -')
    .default('hindsight'),
  /**
   * Events a consumer of the log reads and applies per batch (a read model's transaction). Live batches are small whatever the cap; it matters
   * for a backlog or a rebuild, where larger batches run faster but hold a transaction longer (docs/projections.md).
   * Elasticsearch batches are one bulk request each and stay at 10,000 events at most.
   */
  CONSUMER_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(500),
  /**
   * Events per batch of a rebuild beside the live read models (`npm run rebuild`, the Status page). Larger
   * batches rebuild faster (docs/benchmarks.md); each is one transaction, which on the embedded database
   * holds its one connection for that long.
   */
  REBUILD_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5_000),
  /** Fallback poll interval when no LISTEN/NOTIFY wake-up arrives (e.g. the notification was missed). */
  CONSUMER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /**
   * Artificial delay before each consumer batch. 0 in normal use; the end-to-end suite and demos raise it
   * so the consistency banner stays on screen long enough to be seen.
   */
  CONSUMER_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * A worker's consumer leases (docs/projections.md, "Several workers"): how long one lasts unrenewed, which is
   * how soon a dead worker's consumers are taken over, and how often its holder renews it (keep it a fraction
   * of the TTL, so a few missed heartbeats do not lose a lease).
   */
  CONSUMER_LEASE_TTL_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  CONSUMER_HEARTBEAT_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /**
   * The payment gateway's HTTP API (`npm run payments`, default port 4100). Unset: the web server runs the
   * simulator itself, on a loopback port of its own (zero setup), and so does a worker without it.
   */
  PAYMENTS_URL: z.url({ protocol: /^https?$/, error: 'PAYMENTS_URL must be an http:// or https:// URL' }).optional(),
  /** How long the shop waits for the gateway's answer before treating a request as timed out. */
  PAYMENTS_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(3_000),
  /** An SMTP server for the shop's mail (smtp://user:pass@host:port). Unset: mail goes to the /mailbox page. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional(),
  /** The sender of the shop's mail. */
  MAIL_FROM: z.string().min(3).default('Hindsight <shop@hindsight.test>'),
  /** Where alerts for staff go (an order waiting too long for the warehouse). */
  STAFF_EMAIL: z.email().default('staff@hindsight.test'),
  /** The fulfillment process's waits (docs/fulfillment.md); the end-to-end suite shortens them. */
  FULFILLMENT_PAYMENT_DEADLINE_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  FULFILLMENT_HANDOVER_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(20_000),
  FULFILLMENT_WAREHOUSE_OVERDUE_MS: z.coerce.number().int().min(1_000).max(604_800_000).default(900_000),
  FULFILLMENT_CARRIER_DELIVERY_MS: z.coerce.number().int().min(0).max(604_800_000).default(30_000),
  /**
   * NATS with JetStream (nats://host:port; scripts/nats.sh checks or starts a local one): integration events
   * travel through it to the warehouse service (`npm run warehouse`) and back. Unset: they travel inside the
   * process that runs the consumers, and the warehouse runs there too, over the shop's database.
   */
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, 'NATS_URL must be nats://host:port (several separated by commas)')
    .optional(),
  /** The JetStream stream that holds the integration events, and their subjects' prefix (docs/integration-events.md). */
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, 'NATS_STREAM must be letters, digits, _ or -').default('HINDSIGHT'),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/, 'NATS_SUBJECT_PREFIX must be dot-separated lowercase letters, digits, _ or -')
    .default('hindsight'),
  /**
   * The warehouse that runs inside the shop when NATS_URL is unset (the warehouse service reads the same
   * names): how long picking, packing and dispatch take, and the share of shipments with an item missing.
   */
  WAREHOUSE_PICK_MS: z.coerce.number().int().min(0).max(86_400_000).default(2_000),
  WAREHOUSE_PACK_MS: z.coerce.number().int().min(0).max(86_400_000).default(2_000),
  WAREHOUSE_DISPATCH_MS: z.coerce.number().int().min(0).max(86_400_000).default(2_000),
  WAREHOUSE_MISSING_RATE: z.coerce.number().min(0).max(1).default(0),
  WAREHOUSE_CARRIER: z.string().trim().min(1).max(60).default('Parcel Post'),
  /**
   * Signs the session cookies (32 characters or more; `openssl rand -base64 32`). Unset: a development secret
   * that is public in this repository, and the server says so at start-up; set it wherever real people sign in.
   */
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  /** The web server's port (`npm start`, `npm run shop`): where sign-in links point when SHOP_URL is unset. */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /**
   * The shop's public URL, for the links in mail (sign-in links) and the sign-in origin check. Unset: the
   * host a request came to when it is this machine (localhost, 127.0.0.1), else http://localhost:PORT.
   */
  SHOP_URL: z.url({ protocol: /^https?$/, error: 'SHOP_URL must be an http:// or https:// URL' }).optional(),
  /** Sign-in and sign-up attempts allowed per client per minute; more get HTTP 429 until the minute is over. */
  AUTH_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /**
   * A bearer token /api/metrics asks for (`Authorization: Bearer <token>`); unset, the endpoint is open, as a
   * scrape target on a private network usually is. docs/operations.md.
   */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** The worker's and the payment gateway's metrics (GET /metrics) on these ports; unset, they serve none. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  PAYMENTS_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Where those metrics servers listen: loopback unless a scraper on another host must reach them. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** An OTLP/HTTP collector (e.g. http://127.0.0.1:4318): traces go to its /v1/traces. Unset: no tracing at all. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

/** Settings that were renamed: still setting the old name would silently run with the default instead. */
const renamed: Record<string, string> = {
  PROJECTOR_BATCH_SIZE: 'CONSUMER_BATCH_SIZE',
  PROJECTOR_POLL_MS: 'CONSUMER_POLL_MS',
  PROJECTOR_DELAY_MS: 'CONSUMER_DELAY_MS',
};

function parseEnv(source: NodeJS.ProcessEnv): Env {
  // An empty variable (`DATABASE_URL=`) means unset, as it does to most shells and tools.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  const problems = Object.keys(renamed)
    .filter((old) => old in present)
    .map((old) => `  ${old}: renamed to ${renamed[old]} (the projector became the worker, which runs every consumer)`);
  if (!result.success) problems.push(...result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`));
  if (!result.success || problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  return result.data;
}

export const env: Env = parseEnv(process.env);
