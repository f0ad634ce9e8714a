import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect, type Database } from '@/db/client';
import { catchUp } from '@/db/consumers';
import { createEventStore } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { fold } from '@/domain/decider';
import { productDecider, productStreamId } from '@/domain/product/decider';
import type { ProductEvent } from '@/domain/product/events';
import type { ProductState } from '@/domain/product/state';
import { elasticsearchBackend, postgresSearchBackend, projections, searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { seedShop } from '@/server/seed';
import { startPaymentsProcess, type EntryPoint } from './entry-point';
import { generateShopLog } from './generate';
import { benchAuthSecret, benchSessionCookie } from './sessions';
import type { BenchContext } from './types';

/**
 * The card every checkout of the benchmarks pays with: the payment gateway simulator's approved test card
 * (services/payment-gateway/test-cards.ts), so each order is charged and goes on to be delivered.
 */
export const approvedTestCard = { number: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' } as const;

export type ShopUnderTest = {
  readonly baseUrl: string;
  readonly db: Database;
  /** Registered customers that can send commands. */
  readonly customerIds: readonly string[];
  /** The `cookie` header of a signed-in session for the customer (see sessions.ts). */
  sessionCookie(customerId: string): Promise<string>;
  /** Listed products with plenty of stock for carts. */
  readonly productIds: readonly string[];
  readonly stop: () => Promise<void>;
};

export type ShopOptions = {
  readonly port: number;
  /** Orders generated in bulk after the seed (with their carts, payments, shipments: about ten events each). */
  readonly extraOrders: number;
  /** Customers those orders are spread over; 1,000 unless said. The generated catalog is always 200 products. */
  readonly extraCustomers?: number;
  /**
   * Told how long each PostgreSQL read model took to catch up from zero over the whole log, in batches of
   * `catchUpBatchSize` (5,000 unless said; a rebuild uses 30,000, docs/projections.md), committed as the
   * worker commits them. The log has just been vacuumed, as the rebuild suite vacuums it first.
   */
  readonly onCaughtUp?: (readModel: string, seconds: number, events: number) => void;
  /** Told how many events the bulk generation wrote and how long it took. */
  readonly onGenerated?: (events: number, seconds: number) => void;
  readonly catchUpBatchSize?: number;
};

/** The database and search indices a shop runs on: the run's own (context) unless a suite names others. */
export type ShopTarget = { readonly databaseUrl: string; readonly indexPrefix: string };

/**
 * The shop as a user runs the full stack: `next start` and `npm run worker` as processes of their own,
 * on the run's database (and Elasticsearch, when there is one), or on `target`. The log is seeded through
 * commands, plus `extraOrders` generated in bulk; every read model has caught up before this returns.
 * `prepared`: the target was prepared by `prepareShop` already (a suite that starts a shop on it again).
 */
export async function startShop(
  context: BenchContext,
  options: ShopOptions & { readonly target?: ShopTarget; readonly prepared?: boolean },
): Promise<ShopUnderTest> {
  const target = options.target ?? { databaseUrl: context.databaseUrl, indexPrefix: context.indexPrefix };
  // Another server already on the port would answer the bench's requests in the shop's place.
  const port = await firstFreePort(options.port);
  if (!options.prepared) await prepareShop(context, target, options);
  const db = connect(target.databaseUrl, { max: 4, applicationName: 'hindsight-bench' });

  // The gateway as its own process, as the full stack runs it: in process, the web server's event loop would
  // answer both the bench's commands and its own card tokenisations, and time the latter out under load.
  const gateways: EntryPoint[] = [];
  const paymentsUrl = await startPaymentsProcess(target.databaseUrl, gateways);
  const env = {
    ...process.env,
    DATABASE_URL: target.databaseUrl,
    PAYMENTS_URL: paymentsUrl,
    ELASTICSEARCH_URL: context.elasticsearchUrl ?? '',
    ELASTICSEARCH_INDEX_PREFIX: target.indexPrefix,
    // BENCH_SHOP_LOG=DIR keeps the web server's and the worker's output there, 4xx answers included.
    LOG_LEVEL: process.env.BENCH_SHOP_LOG ? 'info' : 'warn',
    PORT: String(port),
    AUTH_SECRET: benchAuthSecret,
  };
  // BENCH_CPU_PROFILE=DIR, as for the other entry points (entry-point.ts): `next start` serves in its own
  // process, so its profile is the web server's.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const server = spawn(process.execPath, [...profile, 'node_modules/next/dist/bin/next', 'start', '--port', String(port)], {
    env,
    stdio: outputTo('web'),
  });
  const worker = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/main/worker.ts'], { env, stdio: outputTo('worker') });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/api/trpc/session.current`, 60_000);

  const products = await db.sql.query<{ productId: string }>(
    'select product_id as "productId" from catalog_products order by stock desc limit 200',
  );
  // Each shopper has one open cart now (it follows them across devices), so a workload that wants a new cart
  // per command spreads its commands over many customers: a customer's next add comes long after their last
  // checkout. The generated log's customers are registered like the seed's.
  const customers = await db.sql.query<{ customerId: string }>('select customer_id as "customerId" from customers order by customer_id limit 500');
  const sessions = new Map<string, Promise<string>>();
  return {
    baseUrl,
    db,
    customerIds: customers.map((row) => row.customerId),
    sessionCookie(customerId) {
      let cookie = sessions.get(customerId);
      if (!cookie) sessions.set(customerId, (cookie = benchSessionCookie(db.orm, customerId)));
      return cookie;
    },
    productIds: products.map((row) => row.productId),
    async stop() {
      await Promise.all([stopProcess(server), stopProcess(worker), ...gateways.map((gateway) => gateway.stop())]);
      await db.close();
    },
  };
}

/**
 * A shop's database made ready to serve: migrated, seeded, the bulk history generated, every read model and
 * search index caught up, vacuumed and checkpointed.
 */
export async function prepareShop(context: BenchContext, target: ShopTarget, options: Omit<ShopOptions, 'port'>): Promise<void> {
  // Read models commit as the worker commits them (`asyncReadModelCommits`): the catch-up below is theirs.
  const db = connect(target.databaseUrl, { max: 4, applicationName: 'hindsight-bench', asyncReadModelCommits: true });
  try {
    await db.migrate();
    const store = createEventStore(db.sql, { schemas: shopEventSchemas });
    await seedShop({ db, store });
    if (options.extraOrders > 0) {
      context.log(`generating ${options.extraOrders.toLocaleString('en-US')} orders …`);
      const customers = options.extraCustomers ?? 1_000;
      const started = performance.now();
      const { events } = await generateShopLog(target.databaseUrl, { products: 200, customers, orders: options.extraOrders, log: context.log });
      options.onGenerated?.(events, (performance.now() - started) / 1000);
    }
    // Freshly bulk-loaded rows: hint bits and statistics set once, before the read models read them.
    await db.sql.query('vacuum (analyze) events');
    context.log('catching the read models up …');
    const source = { orm: db.orm, store };
    for (const consumer of [...projections, ...postgresSearchBackend.consumers]) {
      const started = performance.now();
      const events = await catchUp(source, consumer, { batchSize: options.catchUpBatchSize ?? 5_000, timeoutMs: 600_000 });
      options.onCaughtUp?.(consumer.name, (performance.now() - started) / 1000, events);
    }
    if (context.elasticsearchUrl) {
      const client = createSearchClient(context.elasticsearchUrl);
      for (const consumer of elasticsearchBackend(client, target.indexPrefix).consumers) {
        await catchUp(source, consumer, { batchSize: 5_000, timeoutMs: 600_000 });
      }
      // Bulk indexing leaves Elasticsearch merging the segments it wrote for a minute or more afterwards (60 to
      // 130% CPU here, through the warm-up and the first lag rows, which measured the merge as much as the
      // shop). A shop that has been running merged its older documents long ago, and its merges now touch only
      // the small segments of recent writes. Merging each index into one segment first, and waiting for it,
      // is that state. (Only merging what was due at the time was not enough: the warm-up's first writes
      // started a merge of the whole order index.)
      context.log('merging the search indices …');
      const indices = Object.values(searchProjections(target.indexPrefix)).map((projection) => projection.index.alias);
      // A merge outlasts the shop's client's 10 s timeout, which a per-request option cannot extend (it only
      // shortens the connection pool's own), so the merge gets a client of its own.
      const merging = createSearchClient(context.elasticsearchUrl, { requestTimeout: 600_000, maxRetries: 0 });
      try {
        await merging.indices.forcemerge({ index: indices, max_num_segments: 1, wait_for_completion: true });
      } finally {
        await merging.close();
      }
      await client.close();
    }

    await snapshotProducts(context, db, store);

    // A shop that has been running has had its tables vacuumed and analyzed and its writes checkpointed;
    // one second after a bulk load of a million events it has not, and autovacuum and the checkpointer would
    // be measured alongside it.
    context.log('vacuuming and checkpointing …');
    await db.sql.query('vacuum analyze');
    await db.sql.query('checkpoint');
  } finally {
    await db.close();
  }
}

/**
 * A shop that has been running has a recent snapshot of every product's stream: each command that grew one
 * by the policy's `every` stored it (server/commands/run-command.ts). The generated log has none, and a
 * product's stream holds over a thousand events after 100,000 orders, so in the first seconds of load every
 * add and checkout read and folded its products' whole streams, all at once, until each one's first command
 * had stored a snapshot: commands waited 5–6 s at p50 at 100 commands/s, each shopper was still waiting on
 * their last checkout when their turn came again, and the warm-up failed on carts checked out twice. Each
 * product's state is stored here as such a command would have stored it.
 */
async function snapshotProducts(context: BenchContext, db: Database, store: ReturnType<typeof createEventStore>): Promise<void> {
  const policy = productDecider.snapshots!;
  const products = await db.sql.query<{ productId: string }>('select product_id as "productId" from catalog_products');
  context.log(`snapshotting ${products.length} product streams …`);
  for (const { productId } of products) {
    const streamId = productStreamId(productId);
    const { snapshot, events } = await store.readStreamFromSnapshot<ProductState>(streamId, policy.stateVersion);
    if (events.length < policy.every) continue;
    const base = snapshot ?? { state: productDecider.initialState(), version: 0 };
    const state = fold(productDecider, events as unknown as ProductEvent[], base.state);
    await store.saveSnapshot(streamId, policy.stateVersion, { version: base.version + events.length, state });
  }
}

/** Where a process of the shop writes its output: nowhere, or `BENCH_SHOP_LOG/<name>.log`. */
function outputTo(name: string): StdioOptions {
  const dir = process.env.BENCH_SHOP_LOG;
  if (!dir) return 'ignore';
  mkdirSync(dir, { recursive: true });
  const file = openSync(join(dir, `${name}.log`), 'a');
  return ['ignore', file, file];
}

/** `from`, or the next port after it that nothing listens on (others' servers share this machine). */
async function firstFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 50; port++) {
    const probe = createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(port, () => resolve(true));
    });
    if (free) {
      await new Promise((resolve) => probe.close(resolve));
      return port;
    }
  }
  throw new Error(`no free port from ${from} to ${from + 49}`);
}

/** Waits for `url` to answer 200; `assertRunning` throws if the server it waits for has exited meanwhile. */
export async function waitForHttp(url: string, timeoutMs: number, assertRunning: () => void = () => {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    assertRunning();
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * Keep-alive connections for the load generator. It shares the two cores with the shop it measures, so it
 * uses node:http directly: `fetch` cost it about three times the CPU per command.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One request through the keep-alive agent, the whole body read. */
function requestText(url: string, options: { method: 'GET' | 'POST'; headers: Record<string, string | number>; body?: string }) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = httpRequest(url, { agent, method: options.method, headers: options.headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** One tRPC mutation over HTTP, as the browser sends it (superjson envelope, session cookie). */
export async function sendCommand<Result extends object = object>(
  baseUrl: string,
  path: string,
  sessionCookie: string,
  input: object,
): Promise<Result & { token: string | null }> {
  const payload = JSON.stringify({ json: input });
  const { status, text } = await requestText(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      cookie: sessionCookie,
    },
    body: payload,
  });
  const body = JSON.parse(text) as { result?: { data: { json: Result & { token: string | null } } }; error?: unknown };
  if (status !== 200 || !body.result) throw new Error(`${path} failed: ${status} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/** A page as the browser first loads it, full HTML, by a visitor who is not signed in; throws unless 200. */
export async function loadPage(baseUrl: string, path: string): Promise<void> {
  const { status } = await requestText(`${baseUrl}${path}`, { method: 'GET', headers: { accept: 'text/html' } });
  if (status !== 200) throw new Error(`${path} answered ${status}`);
}
