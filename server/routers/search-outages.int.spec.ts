import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { orderStreamId } from '@/domain';
import { searchProjections } from '@/projections';
import { appendShopEvents, orderEvents } from '@/projections/testing';
import { closeIndex, createUnassignedIndex, testIndexPrefix, useSearchClient, type LiftFault } from '@/projections/runtime/elasticsearch/testing';
import { demoPassword } from '@/server/auth/demo-accounts';
import { seedCustomers, seedStaff } from '@/server/seed-data';
import { elasticsearchSearch, type Search } from '@/server/search';
import { sessionCookieOf, useRouterHarness } from '@/server/testing';
import { handleApiRequest } from '@/server/trpc/http';

/**
 * The three searches over HTTP, through the API's edge as the web server passes them, on Elasticsearch read
 * models put in the faults that answered 500 before: a closed index, a red one (no shard available, as while
 * a node restarts), a missing one. Each answers 200 with `available: false`, so the page says search is
 * catching up, and nothing in the answer names an index or quotes Elasticsearch.
 */
const harness = useRouterHarness();
const prefix = testIndexPrefix();
const healthy = searchProjections(prefix);
const red = searchProjections(`${prefix}_red`);
const client = useSearchClient(healthy.products.index, healthy.orders.index, red.products.index, red.orders.index);

const cookies = { customer: '', staff: '' };
beforeAll(async () => {
  await harness.listProduct(5);
  const lines = [{ productId: 'mug', name: 'Ceramic Mug', unitPriceCents: 1_200, quantity: 1 }];
  const placedAt = '2025-03-02T10:00:00.000Z';
  await appendShopEvents(harness.store, {
    streamId: orderStreamId('o-search-outage'),
    events: orderEvents({ orderId: 'o-search-outage', customerId: harness.customers.maya, lines, placedAt }),
  });
  const search = elasticsearchSearch(client, prefix);
  for (const consumer of search.consumers) await catchUp({ orm: harness.db.orm, store: harness.store }, consumer, { batchSize: 100 });
  const signIn = async (email: string) =>
    sessionCookieOf((await harness.auth.api.signInEmail({ body: { email, password: demoPassword }, returnHeaders: true })).headers);
  cookies.customer = await signIn(seedCustomers[0]!.email);
  cookies.staff = await signIn(seedStaff.email);
});

/** One GET of a query, as the browser's tRPC client sends it. */
async function query(search: Search, path: string, input: unknown, cookie = '') {
  const url = `http://localhost:3999/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const response = await handleApiRequest(new Request(url, { headers: { cookie } }), {
    database: { db: harness.db, store: harness.store },
    auth: harness.auth,
    search,
    payments: harness.payments,
  });
  const text = await response.text();
  return { status: response.status, text, data: (JSON.parse(text) as { result?: { data?: { json?: unknown } } }).result?.data?.json };
}

async function searchEverything(search: Search) {
  return [
    await query(search, 'search.products', {}),
    await query(search, 'orders.search', { text: 'mug' }, cookies.customer),
    await query(search, 'backOffice.orders.search', { page: 1 }, cookies.staff),
  ];
}

async function expectCatchingUp(search: Search, indexPrefix: string) {
  for (const answer of await searchEverything(search)) {
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ available: false, total: 0 });
    expect(answer.text).not.toContain(indexPrefix);
    expect(answer.text).not.toMatch(/exception|elasticsearch|shard|index/i);
  }
}

async function whileFaulted(faults: Promise<LiftFault>[], during: () => Promise<void>): Promise<void> {
  const lifts = await Promise.all(faults);
  try {
    await during();
  } finally {
    for (const lift of lifts) await lift();
  }
}

describe('search over HTTP while Elasticsearch fails', () => {
  it('answers while the cluster is healthy', async () => {
    const answers = await searchEverything(elasticsearchSearch(client, prefix));
    expect(answers.map((answer) => [answer.status, (answer.data as { available: boolean }).available])).toEqual([
      [200, true],
      [200, true],
      [200, true],
    ]);
  });

  it('a closed index: 200, catching up, and answers again once it is open', async () => {
    const search = elasticsearchSearch(client, prefix);
    await whileFaulted([closeIndex(client, healthy.products.index), closeIndex(client, healthy.orders.index)], () =>
      expectCatchingUp(search, prefix),
    );
    expect((await query(search, 'search.products', {})).data).toMatchObject({ available: true, total: 1 });
  });

  it('no shard available (red): 200, catching up', async () => {
    const search = elasticsearchSearch(client, `${prefix}_red`);
    await whileFaulted([createUnassignedIndex(client, red.products.index), createUnassignedIndex(client, red.orders.index)], () =>
      expectCatchingUp(search, prefix),
    );
  });

  it('a missing index: 200, catching up', async () => {
    await expectCatchingUp(elasticsearchSearch(client, `${prefix}_none`), prefix);
  });
});
