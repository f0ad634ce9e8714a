import type { Client } from '@elastic/elasticsearch';
import { afterAll, describe, expect, it } from 'vitest';
import { elasticsearchBackend, searchProjections, type SearchBackend } from '@/projections';
import { orderStreamId, productStreamId, type Line, type ProductListed } from '@/domain';
import { readProjectionStatus } from '@/projections/status';
import { useShopDatabase } from '@/projections/testing';
import { appendShopEvents, orderEvents } from '../../testing';
import type { SearchFailureKind } from './failures';
import {
  blockIndex,
  closeIndex,
  createUnassignedIndex,
  projectSearch,
  testIndexPrefix,
  unreachableClient,
  useLocalElasticsearchNode,
  useSearchClientOn,
  withTrippedRequestBreaker,
  type LiftFault,
} from './testing';

/**
 * The shop's searches (products, a customer's orders, the back office's orders), through the search backend
 * the routers call, while the cluster fails in each way it can: every one answers "not available" (the pages
 * say search is catching up) instead of throwing, tells the caller why once (for the log), and the status
 * page's probe names the cause; once the fault is lifted, the same backend answers again. A product and an
 * order are indexed once, before the tests; the tests only put the indices in faults and lift them. On a node
 * of the file's own: the circuit breaker's limit holds for the whole cluster.
 */
const node = await useLocalElasticsearchNode();
const prefix = testIndexPrefix();
const search = searchProjections(prefix);
/** Read models whose indices are created red; and a prefix no index was ever created under. */
const redSearch = searchProjections(`${prefix}_red`);
const neverIndexed = `${prefix}_none`;
const client = useSearchClientOn(node.url, search.products.index, search.orders.index, redSearch.products.index, redSearch.orders.index);
const offline = unreachableClient();
afterAll(() => offline.close());

type Noticed = { readModel: string; kind: SearchFailureKind; count: number };
function backendOn(on: Client, indexPrefix: string): SearchBackend & { noticed: Noticed[] } {
  const noticed: Noticed[] = [];
  const backend = elasticsearchBackend(on, indexPrefix, {
    onDegraded: (readModel, failure, _error, count) => noticed.push({ readModel, kind: failure.kind, count }),
  });
  return { ...backend, noticed };
}

const mug: Line = { productId: 'mug', name: 'Ceramic Mug', unitPriceCents: 1_200, quantity: 1 };
const listed: ProductListed = {
  type: 'ProductListed',
  data: { productId: 'mug', name: 'Ceramic Mug', description: 'Stoneware', category: 'kitchen', priceCents: 1_200, stock: 5, listedAt: '2025-03-01T09:00:00.000Z' },
};
const ctx = useShopDatabase(async (context) => {
  await appendShopEvents(context.store, [
    { streamId: productStreamId('mug'), events: [listed] },
    { streamId: orderStreamId('o-1'), events: orderEvents({ orderId: 'o-1', customerId: 'c-1', lines: [mug], placedAt: '2025-03-02T10:00:00.000Z' }) },
  ]);
  await projectSearch(context, client, search.products);
  await projectSearch(context, client, search.orders);
});

/** All three searches, as the pages ask them. */
async function searchAll(backend: SearchBackend) {
  const [products, orders, allOrders] = await Promise.all([
    backend.products(ctx.db.orm, { text: 'mug' }),
    backend.orders(ctx.db.orm, { customerId: 'c-1', text: 'mug' }),
    backend.allOrders(ctx.db.orm, { page: 1, pageSize: 50 }),
  ]);
  return { products, orders, allOrders };
}

async function expectDegraded(backend: SearchBackend) {
  const found = await searchAll(backend);
  expect(found.products).toMatchObject({ available: false, total: 0, products: [], categories: [] });
  expect(found.orders).toMatchObject({ available: false, total: 0, orders: [] });
  expect(found.allOrders).toMatchObject({ available: false, total: 0, orders: [] });
}

async function expectAnswering(backend: SearchBackend) {
  const found = await searchAll(backend);
  expect(found.products).toMatchObject({ available: true, total: 1 });
  expect(found.orders).toMatchObject({ available: true, total: 1 });
  expect(found.allOrders).toMatchObject({ available: true, total: 1 });
}

/** The status page's search section: for each read model, why searches fail, or null. */
async function searchProblems(backend: SearchBackend) {
  const status = await backend.status();
  if (status.kind !== 'elasticsearch') throw new Error('expected the Elasticsearch backend');
  return Object.fromEntries(status.readModels.map((row) => [row.readModel, row.searchProblem]));
}

async function whileFaulted(faults: Promise<LiftFault>[], during: () => Promise<void>): Promise<void> {
  const lifts = await Promise.all(faults);
  try {
    await during();
  } finally {
    for (const lift of lifts) await lift();
  }
}

const both = (problem: string) => ({ product_search_v1: problem, order_search_v1: problem });

describe('searches while Elasticsearch fails', () => {
  it('answers, and the status page says so, while the cluster is healthy', async () => {
    const backend = backendOn(client, prefix);
    await expectAnswering(backend);
    const status = await backend.status();
    expect(status).toEqual({
      kind: 'elasticsearch',
      readModels: [
        { readModel: 'product_search_v1', searchProblem: null, writeProblem: null, degraded: null },
        { readModel: 'order_search_v1', searchProblem: null, writeProblem: null, degraded: null },
      ],
    });
    // The status page reads it beside the consumers' checkpoints.
    const page = await readProjectionStatus(ctx.db.orm, backend);
    expect(page.search).toEqual(status);
    expect(page.consumers.map((row) => row.consumer)).toEqual(['order_search_v1', 'product_search_v1']);
  });

  it('a closed index: catching up, the cause on the status page, and answers again once it is open', async () => {
    const backend = backendOn(client, prefix);
    await whileFaulted([closeIndex(client, search.products.index), closeIndex(client, search.orders.index)], async () => {
      await expectDegraded(backend);
      await expectDegraded(backend);
      expect(await searchProblems(backend)).toEqual(both('the index is closed'));
      // Told once per read model, not once per search (the log gets a line, not a flood).
      expect(backend.noticed).toHaveLength(2);
      expect(backend.noticed).toEqual(
        expect.arrayContaining([
          { readModel: 'product_search_v1', kind: 'index-closed', count: 1 },
          { readModel: 'order_search_v1', kind: 'index-closed', count: 1 },
        ]),
      );
      const status = await backend.status();
      expect(status.kind === 'elasticsearch' && status.readModels.map((row) => row.degraded)).toEqual([
        { count: 2, lastAt: expect.any(Date), lastProblem: 'the index is closed' },
        // Each of the two rounds asked the orders index twice: the customer's search and the back office's.
        { count: 4, lastAt: expect.any(Date), lastProblem: 'the index is closed' },
      ]);
    });
    await expectAnswering(backend);
    expect(await searchProblems(backend)).toEqual(both(null as unknown as string));
  });

  it('a read block: catching up', async () => {
    const backend = backendOn(client, prefix);
    await whileFaulted([blockIndex(client, search.products.index, 'read'), blockIndex(client, search.orders.index, 'read')], async () => {
      await expectDegraded(backend);
      expect(await searchProblems(backend)).toEqual(both('reads from the index are blocked (a read block is set)'));
      expect(backend.noticed.map((entry) => entry.kind)).toEqual(['blocked', 'blocked']);
    });
    await expectAnswering(backend);
  });

  it('a write block: searches still answer from the index, and the status page says writes are refused', async () => {
    // What the index holds is still right, only no longer updated: the consumer's checkpoint stops, so a page
    // whose shopper changed something shows its "catching up" banner (judged by checkpoint), and the status
    // page shows both the block and the consumer's failing batches.
    const backend = backendOn(client, prefix);
    await whileFaulted(
      [blockIndex(client, search.products.index, 'read_only_allow_delete'), blockIndex(client, search.orders.index, 'write')],
      async () => {
        await expectAnswering(backend);
        const status = await backend.status();
        expect(status.kind === 'elasticsearch' && status.readModels.map((row) => [row.searchProblem, row.writeProblem])).toEqual([
          [null, 'the index is read-only because the disk is nearly full (flood-stage watermark)'],
          [null, 'the index is read-only (a write block is set)'],
        ]);
      },
    );
  });

  it('no shard available (red): catching up, and answers once the shards start', async () => {
    const backend = backendOn(client, `${prefix}_red`);
    await whileFaulted([createUnassignedIndex(client, redSearch.products.index), createUnassignedIndex(client, redSearch.orders.index)], async () => {
      await expectDegraded(backend);
      expect(await searchProblems(backend)).toEqual(both('no copy of the index is available (the cluster is red, or a node is still starting)'));
      expect(backend.noticed.map((entry) => entry.kind)).toEqual(['shards-unavailable', 'shards-unavailable']);
    });
    // Started empty (nothing indexed them yet), but answering.
    expect(await backend.products(ctx.db.orm, {})).toMatchObject({ available: true, total: 0 });
    expect(await backend.orders(ctx.db.orm, { customerId: 'c-1' })).toMatchObject({ available: true, total: 0 });
  });

  it('a missing index (its read model never ran, or it was deleted): catching up', async () => {
    const backend = backendOn(client, neverIndexed);
    await expectDegraded(backend);
    expect(await searchProblems(backend)).toEqual(both('the index does not exist'));
    expect(backend.noticed.map((entry) => entry.kind)).toEqual(['index-missing', 'index-missing']);
  });

  it('a tripped circuit breaker (429): product search, whose facets need memory, is catching up; order search answers', async () => {
    const backend = backendOn(client, prefix);
    const during = await withTrippedRequestBreaker(client, () => searchAll(backend));
    expect(during.products).toMatchObject({ available: false, products: [] });
    // Order searches have no aggregations: the request breaker has nothing to trip on, so they answer.
    expect([during.orders.available, during.allOrders.available]).toEqual([true, true]);
    expect(backend.noticed).toContainEqual({ readModel: 'product_search_v1', kind: 'overloaded', count: 1 });
    const status = await backend.status();
    expect(status.kind === 'elasticsearch' && status.readModels[0]?.degraded).toMatchObject({
      lastProblem: 'Elasticsearch is short of memory and refused the request (a circuit breaker tripped)',
    });
    await expectAnswering(backend);
  });

  it('a node that refuses connections: catching up, and the status page says it cannot be reached', async () => {
    const backend = backendOn(offline, prefix);
    await expectDegraded(backend);
    const status = await backend.status();
    expect(status.kind === 'elasticsearch' && status.readModels.map((row) => [row.searchProblem, row.writeProblem])).toEqual([
      ['Elasticsearch cannot be reached', null],
      ['Elasticsearch cannot be reached', null],
    ]);
  });
});
