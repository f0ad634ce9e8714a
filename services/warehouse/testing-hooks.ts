import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { natsTransport, type IntegrationTransport, type OutgoingMessage, type ReceivedMessage } from '@/contracts';
import { deleteTestStream, testNatsTransport, testNatsUrl, testStreamNames } from '@/contracts/testing';
import { createTestDatabase, type TestDatabase } from '@/db/testing';
import type { WarehouseSql } from './sql';
import { startWarehouse, type Warehouse, type WarehouseOptions } from './warehouse';

/**
 * The warehouse specs' set-up: a database of the file's own on the test server, a stream and subject prefix of
 * each test's own on the test broker, warehouses started on them, and a listener that subscribes as the shop
 * does. Whatever a test started is stopped after it, and its streams are deleted.
 */
export type WarehouseTestContext = {
  readonly sql: WarehouseSql;
  /** A JetStream transport on a fresh stream (created), closed and deleted after the test. */
  broker(names?: { stream: string; prefix: string }, options?: { duplicateWindowMs?: number; servers?: string }): Promise<TestBroker>;
  /** A warehouse on the file's database; every delay 0 and nothing missing unless given. */
  start(transport: IntegrationTransport, options?: Partial<Omit<WarehouseOptions, 'sql' | 'transport'>>): Promise<Warehouse>;
  /** Subscribes to the warehouse's outcomes as the shop would (its own durable consumer). */
  listen(transport: IntegrationTransport): ShopListener;
  /** Runs `cleanup` after the test, after whatever is started later has stopped. */
  defer(cleanup: () => Promise<void>): void;
};

export type TestBroker = IntegrationTransport & { readonly names: { readonly stream: string; readonly prefix: string } };

export type ShopListener = {
  readonly received: ReceivedMessage[];
  /** The outcomes received for an order. */
  of(orderId: string): ReceivedMessage[];
};

export function useWarehouse(): WarehouseTestContext {
  let db: TestDatabase | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  const database = () => {
    if (!db) throw new Error('the database is only there once beforeAll has run');
    return db;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    // The last thing started stops first: warehouses and listeners before the transports they use.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return {
    get sql() {
      return database().sql;
    },
    async broker(names = testStreamNames(), { duplicateWindowMs, servers = testNatsUrl } = {}) {
      const transport: TestBroker =
        duplicateWindowMs === undefined
          ? testNatsTransport(names, servers)
          : Object.assign(natsTransport({ servers, ...names, name: `hindsight-test-${names.prefix}`, duplicateWindowMs }), { names });
      cleanups.push(async () => {
        await transport.close();
        await deleteTestStream(names.stream, servers);
      });
      await transport.ensureStream();
      return transport;
    },
    async start(transport, options = {}) {
      const warehouse = await startWarehouse({ pickMs: 0, packMs: 0, dispatchMs: 0, missingRate: 0, ...options, sql: database().sql, transport });
      cleanups.push(() => warehouse.stop());
      return warehouse;
    },
    listen(transport) {
      const received: ReceivedMessage[] = [];
      const subscription = transport.subscribe({
        name: 'shop-shipments',
        filter: transport.subjects.filter('warehouse', 'shipment'),
        keyOf: (message) => message.payload.orderId,
        handle: async (message) => void received.push(message),
      });
      cleanups.push(() => subscription.stop());
      return { received, of: (orderId) => received.filter((message) => message.payload.orderId === orderId) };
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Resolves once the warehouse's durable consumer has been delivered and has acknowledged everything in its
 * stream: a message published before has been handled, whether or not it changed anything.
 */
export async function warehouseCaughtUp(stream: string, timeoutMs = 10_000): Promise<void> {
  const nc = await connect({ servers: testNatsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    await until(
      async () => {
        const info = await jsm.consumers.info(stream, 'warehouse');
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      timeoutMs,
      'the warehouse to acknowledge every message',
    );
  } finally {
    await nc.close();
  }
}

/** The outbox rows written for an order: one per outcome ever decided. */
export async function outboxOf(sql: WarehouseSql, orderId: string): Promise<{ contract: string; published: boolean }[]> {
  return sql.query('select contract, published_at is not null as published from warehouse.outbox where order_id = $1 order by position', [orderId]);
}

/**
 * The contracts of an order's outbox rows once the publisher has marked them all. The shop may have an outcome
 * a moment before its row is marked: the marking follows the broker's acknowledgement.
 */
export async function publishedOutcomesOf(sql: WarehouseSql, orderId: string): Promise<string[]> {
  let rows: { contract: string; published: boolean }[] = [];
  await until(async () => (rows = await outboxOf(sql, orderId)).every((row) => row.published), 5_000, 'the outbox rows marked');
  return rows.map((row) => row.contract);
}

export async function shipmentOf(sql: WarehouseSql, orderId: string): Promise<Record<string, unknown> | undefined> {
  const [row] = await sql.query<Record<string, unknown>>('select * from warehouse.shipments where order_id = $1', [orderId]);
  return row;
}

export function cancellationRequest(request: OutgoingMessage, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    ...request,
    id: randomUUID(),
    contract: 'shipment.cancellation-requested',
    payload: { orderId: request.payload.orderId, requestedAt: new Date().toISOString() },
    correlationId: randomUUID(),
    ...overrides,
  } as OutgoingMessage;
}

type LogEntry = Record<string, unknown>;

export type WarehouseProcess = {
  readonly logs: LogEntry[];
  /**
   * The first log line `predicate` takes; fails after `timeoutMs` (20 s: before the runner's 30 s, which would
   * say only that time ran out), or once the process exits, with what it printed.
   */
  waitFor(predicate: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** Resolves to the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): void;
  /** What it printed, for a failure's message. */
  output(): string;
};

/** `npm run warehouse` as a child process, with `env` added to this one's; its JSON log lines are parsed. */
export function spawnWarehouse(env: Record<string, string>): WarehouseProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/warehouse/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogEntry[] = [];
  let output = '';
  let pending = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogEntry);
      } catch {
        // Not a log line (Node's own warnings, the settings' plain-text refusal): kept in `output` only.
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return {
    logs,
    exited,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    async waitFor(predicate, timeoutMs = 20_000) {
      let found: LogEntry | undefined;
      let gone = false;
      void exited.then(() => (gone = true));
      const deadline = Date.now() + timeoutMs;
      while ((found = logs.find(predicate)) === undefined && !gone) {
        // The message is made when it fails, so it carries everything the process printed until then.
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for a log line of the warehouse process (${predicate.toString()}); it printed:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (!found) throw new Error(`the warehouse process exited before it logged the line awaited (${predicate.toString()}):\n${output}`);
      return found;
    },
  };
}
