import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { catchUp, type BatchOptions } from '@/db/consumers';
import type { LogPosition } from '@/db/event-store';
import { consumerCheckpoints } from '@/db/schema/event-store';
import type { TestContext } from '@/db/testing-hooks';
import type { ShopEventType } from '@/domain';
import { createSearchClient } from './client';
import { searchConsumer } from './indexing';
import type { SearchProjection } from './projection';
import { dropIndex, physicalName, type SearchIndex } from './search-index';

/**
 * Shared by the Elasticsearch read-model specs. They all run against the one real node, so each spec file
 * works under its own index prefix and removes its indices when it is done.
 */

/** A prefix no other spec file (or earlier run) uses; lowercase, as index names must be. */
export function testIndexPrefix(): string {
  // With the run's id (scripts/test.sh), so a run that was killed leaves indices its id names.
  const run = process.env.HINDSIGHT_TEST_RUN ? `${process.env.HINDSIGHT_TEST_RUN}_` : '';
  return `test_${run}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** The spec file's client; after its last test, drops `indices` and closes the client. */
export function useSearchClient(...indices: readonly SearchIndex[]): Client {
  // The suite's node: scripts/test.sh starts it and exports its address (test configuration, not the app's).
  return useSearchClientOn(process.env.ELASTICSEARCH_URL || 'http://127.0.0.1:9200', ...indices);
}

/** The same, on the node at `url` (a test's own: `localElasticsearchNode`). */
export function useSearchClientOn(url: string, ...indices: readonly SearchIndex[]): Client {
  const client = createSearchClient(url);
  afterAll(async () => {
    for (const index of indices) await dropIndex(client, index);
    await client.close();
  });
  return client;
}

/** Small batches, so a catch-up spans several bulk requests and checkpoints. */
export const smallSearchBatches: BatchOptions = { batchSize: 3 };

/** Catches a search projection up with the whole log, as the engine runs it; returns how many events it read. */
export function projectSearch<Doc extends object, T extends ShopEventType>(
  ctx: TestContext,
  client: Client,
  projection: SearchProjection<Doc, T>,
  options: BatchOptions = smallSearchBatches,
): Promise<number> {
  return catchUp(ctx.source, searchConsumer(client, projection), options);
}

/**
 * Moves a consumer's checkpoint back, as a crash after Elasticsearch acknowledged a batch but before the
 * checkpoint was written would leave it.
 */
export async function moveCheckpointBack(ctx: TestContext, consumer: string, to: LogPosition): Promise<void> {
  await ctx.db.orm
    .update(consumerCheckpoints)
    .set({ transactionId: to.transactionId, position: to.position })
    .where(eq(consumerCheckpoints.consumer, consumer));
}

/** A document as Elasticsearch stores it, with the external version it was written under. */
export async function storedDocument<Doc>(client: Client, index: SearchIndex, id: string) {
  const found = await client.get<Doc>({ index: index.alias, id });
  return { version: found._version, doc: found._source };
}

/**
 * Faults to put one of the spec's own indices in, on the shared node. Each returns a function that lifts it
 * and waits until the index serves again; a spec lifts it in `finally`. Nothing here touches another index,
 * and the one cluster-wide change (`withTrippedRequestBreaker`) is restored whatever happens.
 */
export type LiftFault = () => Promise<void>;

async function waitForGreen(client: Client, name: string): Promise<void> {
  await client.cluster.health({ index: name, wait_for_status: 'green', timeout: '30s' });
}

/** `POST /<index>/_close`: searches and writes fail until it is opened again. */
export async function closeIndex(client: Client, index: SearchIndex): Promise<LiftFault> {
  const name = physicalName(index);
  await client.indices.close({ index: name });
  return async () => {
    await client.indices.open({ index: name });
    await waitForGreen(client, name);
  };
}

/**
 * An index block: `write` or `read_only` (an operator's), `read_only_allow_delete` (what Elasticsearch sets
 * itself at the disk's flood-stage watermark), or `read` (searches refused too).
 */
export async function blockIndex(
  client: Client,
  index: SearchIndex,
  block: 'write' | 'read_only' | 'read_only_allow_delete' | 'read',
): Promise<LiftFault> {
  const name = physicalName(index);
  await client.indices.putSettings({ index: name, settings: { [`index.blocks.${block}`]: true } });
  return async () => {
    await client.indices.putSettings({ index: name, settings: { [`index.blocks.${block}`]: null } });
  };
}

/**
 * The read model's index, created before its consumer ever ran, with a primary shard no node may hold (an
 * allocation filter naming no node): the index is red, and every request for its documents answers "no shard
 * available", as while a restarted node has not recovered its shards. (An existing primary cannot be made
 * unassigned that way: reopened, it recovers where its data is, whatever the filter says.) Lifting it lets
 * the shard start, empty, as the consumer would have created it.
 */
export async function createUnassignedIndex(client: Client, index: SearchIndex): Promise<LiftFault> {
  const name = physicalName(index);
  const filter = 'index.routing.allocation.require._name';
  await client.indices.create({
    index: name,
    mappings: index.mappings,
    settings: { number_of_shards: 1, number_of_replicas: 0, ...index.settings, [filter]: 'no-such-node' },
    aliases: { [index.alias]: {} },
    wait_for_active_shards: 0,
  });
  return async () => {
    await client.indices.putSettings({ index: name, settings: { [filter]: null } });
    await waitForGreen(client, name);
  };
}

/**
 * Closes and reopens the index without waiting for its shard: for a moment its primary is recovering, as on
 * a node that has just restarted and accepts requests before its shards are ready.
 */
export async function reopenIndex(client: Client, index: SearchIndex): Promise<LiftFault> {
  const name = physicalName(index);
  await client.indices.close({ index: name });
  await client.indices.open({ index: name, wait_for_active_shards: 0 });
  return () => waitForGreen(client, name);
}

/**
 * Runs `work` while the request circuit breaker trips for any search with aggregations (its limit at one
 * byte): Elasticsearch answers 429, circuit_breaking_exception. The limit is cluster-wide, so only on a node
 * of the spec's own (`useLocalElasticsearchNode`): on the shared one, every other search with aggregations
 * (another spec's, another run's, the developer's shop) would fail meanwhile, and two runs restoring it in
 * turn could leave it tripped. Set for as short as `work` takes, as a transient setting, and put back in `finally`.
 */
export async function withTrippedRequestBreaker<T>(client: Client, work: () => Promise<T>): Promise<T> {
  const key = 'indices.breaker.request.limit';
  const { transient } = await client.cluster.getSettings({ flat_settings: true });
  const before = (transient[key] as string | undefined) ?? null;
  await client.cluster.putSettings({ transient: { [key]: '1b' } });
  try {
    return await work();
  } finally {
    await client.cluster.putSettings({ transient: { [key]: before } });
  }
}

/** A client whose node refuses connections: nothing listens on port 1 of this machine. */
export function unreachableClient(): Client {
  return createSearchClient('http://127.0.0.1:1', { maxRetries: 0 });
}

export type LocalElasticsearchNode = {
  readonly url: string;
  /** Starts it (again) and waits until it is healthy; fails naming the node, with its log, after 180 s. */
  start(): Promise<void>;
  /** Stops it: a clean shutdown, as an outage the node's operator caused. */
  stop(): Promise<void>;
  /** Stops it if it runs and removes its folder. */
  remove(): Promise<void>;
};

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

/**
 * An Elasticsearch node of the test's own (scripts/elasticsearch.sh, on free ports and a folder in the system's
 * temporary one), for a test that takes the node away: the node the other specs, and other runs of the suite
 * beside this one, use is never stopped. Not started until `start()`.
 */
export async function localElasticsearchNode(): Promise<LocalElasticsearchNode> {
  const port = await freeHttpAndTransportPorts();
  const folder = await mkdtemp(join(tmpdir(), 'hindsight-test-elasticsearch-'));
  const script = (command: 'start' | 'stop') =>
    run('bash', ['scripts/elasticsearch.sh', command], { cwd: repoRoot, env: { ...process.env, ES_PORT: String(port), ES_NODE_DIR: folder } }).then(
      () => undefined,
      (error: Error & { stderr?: string }) => {
        throw new Error(`the test's own Elasticsearch node on port ${port} did not ${command}: ${error.stderr ?? error.message}`, { cause: error });
      },
    );
  return {
    url: `http://127.0.0.1:${port}`,
    start: () => script('start'),
    stop: () => script('stop'),
    async remove() {
      await script('stop');
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The spec file's own node, started before its first test (before the file's other set-up, so call this
 * first) and removed after its last (after the indices of a client made after it are dropped): for a file
 * that stops the node, or changes a setting that holds for the whole cluster.
 */
export async function useLocalElasticsearchNode(): Promise<LocalElasticsearchNode> {
  const node = await localElasticsearchNode();
  // A cold node takes up to a minute to become healthy on a busy machine; its start gives up after 180 s.
  beforeAll(() => node.start(), 240_000);
  // After-hooks run in reverse: registered first, this runs last.
  afterAll(() => node.remove(), 120_000);
  return node;
}

/**
 * A port for the node's HTTP whose neighbour 100 above (its transport, scripts/elasticsearch.sh) is free too:
 * below the kernel's range for outgoing connections, so no client takes either before the node binds them.
 */
async function freeHttpAndTransportPorts(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if ((await free(port)) && (await free(port + 100))) return port;
  }
  throw new Error('no free pair of ports for an Elasticsearch node between 20000 and 30100');
}
