import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchAuthSecret } from './sessions';
import { startZeroSetupShop } from '../zero-setup-shop';
import type { BenchContext } from './types';

export type EmbeddedShop = {
  readonly baseUrl: string;
  /** The `next start` process: what its memory is sampled from. */
  readonly pid: number;
  /** Throws if the server has exited. */
  assertRunning(): void;
  /** `error` with the end of what the server printed (its log is at `warn`: problems only). */
  withServerLog(error: unknown): Error;
  /** Signs a new customer up over HTTP, as the sign-up form does; returns the session's `cookie` header. */
  signUp(index: number): Promise<string>;
  /** Every listed product, from the storefront's public catalog query. */
  listProducts(): Promise<{ productId: string; name: string; stock: number }[]>;
  stop(): Promise<void>;
};

/**
 * The shop as `npm start` runs it with nothing set up (scripts/zero-setup-shop.ts): the web server creates,
 * migrates and seeds the embedded database (PGlite) in a folder of its own and runs every consumer of the log,
 * the payment gateway simulator and the warehouse itself, on a free port. The folder, with the server's log,
 * is removed when the shop stops.
 */
export async function startEmbeddedShop(context: BenchContext, options: { thread: boolean }): Promise<EmbeddedShop> {
  const folder = mkdtempSync(join(tmpdir(), 'hindsight-bench-zero-setup-'));
  const logPath = join(folder, 'server.log');
  const log = openSync(logPath, 'w');
  // BENCH_CPU_PROFILE=DIR, as for the other entry points (entry-point.ts): a profile per thread of the server.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const server = await startZeroSetupShop({
    root: process.cwd(),
    dataDir: join(folder, 'pglite'),
    env: {
      EMBEDDED_THREAD: String(options.thread),
      AUTH_SECRET: benchAuthSecret,
      // Every shopper signs up from 127.0.0.1; 10,000 is the most server/env.ts allows.
      AUTH_ATTEMPTS_PER_MINUTE: '10000',
    },
    nodeArgs: profile,
    stdout: log,
  });
  closeSync(log);
  const shop: EmbeddedShop = {
    baseUrl: server.baseUrl,
    pid: server.process.pid!,
    assertRunning() {
      if (!server.running()) throw new Error(`next start exited with ${server.process.exitCode ?? server.process.signalCode}`);
    },
    withServerLog(error) {
      const tail = readFileSync(logPath, 'utf8').slice(-4_000);
      return new Error(`${error instanceof Error ? error.message : String(error)}\n--- the end of the server's log ---\n${tail}`, { cause: error });
    },
    signUp: (index) => signUp(shop.baseUrl, index),
    listProducts: () => listProducts(shop.baseUrl),
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
  try {
    context.log('starting next start on a new embedded database (created, migrated and seeded on first start) …');
    const started = performance.now();
    // The first start seeds 306 products by command and brings every read model up to them before it serves.
    await server.serving(300_000);
    context.log(`  ready after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    const failure = shop.withServerLog(error);
    await shop.stop();
    throw failure;
  }
  return shop;
}

/**
 * The embedded database admits one process, the server, so the bench cannot write sessions into it as it
 * does for the full stack (sessions.ts): each shopper signs up through better-auth, which signs them in.
 */
async function signUp(baseUrl: string, index: number): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    // The origin check of better-auth wants the shop's own origin, as a browser on its page sends.
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name: `Bench shopper ${index + 1}`, email: `shopper-${index + 1}@bench.invalid`, password: 'bench-password' }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('hindsight.session_token='));
  if (!response.ok || !session) throw new Error(`sign-up ${index + 1} answered ${response.status}: ${await response.text()}`);
  return session.split(';')[0]!;
}

type CatalogPage = { products: { productId: string; name: string; stock: number }[]; pageCount: number };

async function listProducts(baseUrl: string): Promise<{ productId: string; name: string; stock: number }[]> {
  const products: CatalogPage['products'] = [];
  for (let page = 1, pageCount = 1; page <= pageCount; page++) {
    const input = encodeURIComponent(JSON.stringify({ json: { page } }));
    const response = await fetch(`${baseUrl}/api/trpc/catalog.list?input=${input}`);
    if (!response.ok) throw new Error(`catalog.list page ${page} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { result: { data: { json: CatalogPage } } };
    pageCount = body.result.data.json.pageCount;
    products.push(...body.result.data.json.products.map(({ productId, name, stock }) => ({ productId, name, stock })));
  }
  return products;
}
