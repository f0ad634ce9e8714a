import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, hasReached, logStart, type LogPosition } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { orderStreamId, type Line } from '@/domain';
import { projectSearch, testIndexPrefix, useSearchClient } from '../runtime/elasticsearch/testing';
import { appendShopEvents, orderEvents, type FollowUp } from '../testing';
import type { OrderDocument } from './index-definition';
import { orderSearchProjection } from './projection';
import { searchAllOrders, searchOrders, type AllOrdersSearchInput, type OrderSearchInput } from './query';

/**
 * c-1's and c-2's orders are placed and indexed once, before the tests, and changed by none of them; a test
 * that moves orders on places orders of its own, for a customer of its own.
 */
const projection = orderSearchProjection(testIndexPrefix());
const client = useSearchClient(projection.index);
const search = (input: OrderSearchInput) => searchOrders(ctx.db.orm, client, projection, input);
const searchAll = (input: AllOrdersSearchInput) => searchAllOrders(ctx.db.orm, client, projection, input);
const ids = (result: { orders: OrderDocument[] }) => result.orders.map((order) => order.orderId);

const line = (productId: string, name: string, unitPriceCents: number, quantity = 1): Line => ({
  productId,
  name,
  unitPriceCents,
  quantity,
});
const mug = line('ceramic-mug', 'Ceramic Mug', 1_200, 2);
const grinder = line('coffee-grinder', 'Coffee Grinder', 5_500);
const lamp = line('desk-lamp', 'Desk Lamp', 3_500);
const travelMug = line('travel-mug', 'Travel Mug', 2_400);

const place = (orderId: string, customerId: string, lines: Line[], placedAt: string, then: FollowUp[] = []) =>
  appendShopEvents(ctx.store, {
    streamId: orderStreamId(orderId),
    events: orderEvents({ orderId, customerId, lines, placedAt, then }),
  });

let fixtureEnd: LogPosition;
const ctx = useShopDatabase(async (context) => {
  await place('o-1', 'c-1', [mug, grinder], '2025-03-01T10:00:00.000Z', ['OrderPaid']);
  // Placed late on the 2nd, cancelled early on the 3rd: the date filter goes by when it was placed.
  await place('o-2', 'c-1', [lamp], '2025-03-02T23:30:00.000Z', ['OrderCancelled']);
  // Exactly midnight: the first instant of the 4th.
  await place('o-3', 'c-1', [travelMug], '2025-03-04T00:00:00.000Z');
  fixtureEnd = await place('o-4', 'c-2', [grinder], '2025-03-02T12:00:00.000Z');
  await projectSearch(context, client, projection);
});

describe('order search', () => {
  it('indexes orders into a versioned index behind its alias, with the explicit mapping', async () => {
    const physical = `${projection.index.alias}_v1`;
    const indices = await client.indices.get({ index: projection.index.alias });
    expect(Object.keys(indices)).toEqual([physical]);
    expect(indices[physical]?.aliases).toEqual({ [projection.index.alias]: {} });
    expect(indices[physical]?.mappings).toEqual(projection.index.mappings);
    expect(indices[physical]?.mappings).toMatchObject({
      dynamic: 'strict',
      properties: { customerId: { type: 'keyword' }, status: { type: 'keyword' }, productNames: { type: 'text' } },
    });

    const all = await search({ customerId: 'c-1' });
    expect(all).toMatchObject({ available: true, total: 3 });
    // Other tests move the checkpoint on; it is never behind what the fixture appended.
    expect(hasReached(decodeToken(all.checkpoint) ?? logStart, fixtureEnd)).toBe(true);
    expect(ids(all)).toEqual(['o-3', 'o-2', 'o-1']);
    expect(all.orders.at(-1)).toEqual({
      orderId: 'o-1',
      customerId: 'c-1',
      status: 'paid',
      productNames: ['Ceramic Mug', 'Coffee Grinder'],
      itemCount: 3,
      totalCents: 7_900,
      placedAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T11:00:00.000Z',
    });
  });

  it("finds a customer's orders by product name, forgiving typos, and never another customer's", async () => {
    expect(ids(await search({ customerId: 'c-1', text: 'grindr' }))).toEqual(['o-1']);
    expect(ids(await search({ customerId: 'c-2', text: 'grindr' }))).toEqual(['o-4']);
    expect(ids(await search({ customerId: 'c-1', text: 'mug' }))).toEqual(['o-3', 'o-1']);
    expect(ids(await search({ customerId: 'c-1', text: 'desk lamp' }))).toEqual(['o-2']);
    expect(await search({ customerId: 'c-2', text: 'lamp' })).toMatchObject({ available: true, total: 0, orders: [] });
    expect(await search({ customerId: 'nobody' })).toMatchObject({ available: true, total: 0, orders: [] });
  });

  it('filters by status as orders move on', async () => {
    await place('o-s1', 'c-status', [mug, grinder], '2025-03-01T10:00:00.000Z', ['OrderPaid']);
    await place('o-s2', 'c-status', [lamp], '2025-03-02T23:30:00.000Z', ['OrderCancelled']);
    await place('o-s3', 'c-status', [travelMug], '2025-03-04T00:00:00.000Z');
    await projectSearch(ctx, client, projection);
    expect(ids(await search({ customerId: 'c-status', status: 'paid' }))).toEqual(['o-s1']);
    expect(ids(await search({ customerId: 'c-status', status: 'cancelled' }))).toEqual(['o-s2']);
    expect(ids(await search({ customerId: 'c-status', status: 'placed' }))).toEqual(['o-s3']);

    const placedThenPaid = orderEvents({
      orderId: 'o-s3',
      customerId: 'c-status',
      lines: [travelMug],
      placedAt: '2025-03-04T00:00:00.000Z',
      then: ['OrderPaid'],
    });
    const last = await appendShopEvents(ctx.store, { streamId: orderStreamId('o-s3'), events: placedThenPaid.slice(1) });
    await projectSearch(ctx, client, projection);

    const nowPaid = await search({ customerId: 'c-status', status: 'paid' });
    expect(nowPaid.checkpoint).toBe(encodeToken(last));
    expect(ids(nowPaid)).toEqual(['o-s3', 'o-s1']);
    expect(await search({ customerId: 'c-status', status: 'placed' })).toMatchObject({ total: 0 });
  });

  it('filters by the day an order was placed, both ends inclusive', async () => {
    const between = (placedFrom?: string, placedTo?: string) =>
      search({ customerId: 'c-1', placedFrom, placedTo }).then(ids);
    expect(await between('2025-03-02', '2025-03-02')).toEqual(['o-2']);
    expect(await between('2025-03-01', '2025-03-02')).toEqual(['o-2', 'o-1']);
    expect(await between('2025-03-02', '2025-03-04')).toEqual(['o-3', 'o-2']);
    expect(await between('2025-03-03', '2025-03-03')).toEqual([]);
    expect(await between(undefined, '2025-03-01')).toEqual(['o-1']);
    expect(await between('2025-03-04')).toEqual(['o-3']);
    expect(ids(await search({ customerId: 'c-1', text: 'mug', placedFrom: '2025-03-02' }))).toEqual(['o-3']);
  });

  it("searches every customer's orders for the back office, a page at a time, by product name or order number", async () => {
    // Days of this test's own, so the other tests' orders stay out of its answers.
    const first = 'd1000001-0000-4000-8000-000000000001';
    const second = 'd2000002-0000-4000-8000-000000000002';
    const third = 'e3000003-0000-4000-8000-000000000003';
    await place(first, 'c-staff-a', [mug], '2024-07-01T10:00:00.000Z');
    await place(second, 'c-staff-b', [lamp], '2024-07-02T10:00:00.000Z', ['OrderPaid']);
    await place(third, 'c-staff-a', [grinder], '2024-07-03T10:00:00.000Z');
    await projectSearch(ctx, client, projection);
    const july = { placedFrom: '2024-07-01', placedTo: '2024-07-31', page: 1, pageSize: 50 };
    const all = await searchAll(july);
    expect(all).toMatchObject({ available: true, total: 3 });
    expect(ids(all)).toEqual([third, second, first]);
    expect(ids(await searchAll({ ...july, customerId: 'c-staff-a' }))).toEqual([third, first]);
    expect(ids(await searchAll({ ...july, text: 'lamp' }))).toEqual([second]);
    expect(ids(await searchAll({ ...july, status: 'paid' }))).toEqual([second]);
    // The start of an order number, as staff copy it off a page: one order, or every order it starts.
    expect(ids(await searchAll({ ...july, text: 'D2000002' }))).toEqual([second]);
    // Too short to be read as one (three characters): it could start too many.
    expect(ids(await searchAll({ ...july, text: 'd10' }))).toEqual([]);
    expect(ids(await searchAll({ ...july, text: `${third.slice(0, 13)}` }))).toEqual([third]);
    // Pages of two: the last one holds the rest, and the total is the whole match.
    const pageOne = await searchAll({ ...july, pageSize: 2 });
    const pageTwo = await searchAll({ ...july, pageSize: 2, page: 2 });
    expect([ids(pageOne), pageOne.total]).toEqual([[third, second], 3]);
    expect([ids(pageTwo), pageTwo.total]).toEqual([[first], 3]);
    // A customer's own search never reads an order number as one: it stays within their orders either way.
    expect(ids(await search({ customerId: 'c-staff-b', text: 'd1000001' }))).toEqual([]);
  });
});
