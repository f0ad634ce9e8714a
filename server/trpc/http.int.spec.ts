import { randomUUID } from 'node:crypto';
import superjson from 'superjson';
import { afterAll, describe, expect, it } from 'vitest';
import { maxCallsPerBatch, maxRequestBodyBytes } from '@/common/api-limits';
import { connect } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { shopStoreOptions } from '@/server/db';
import { postgresSearch } from '@/server/search';
import { shippingAddress, useRouterHarness, type Browser } from '@/server/testing';
import { handleApiRequest } from './http';

/**
 * The API's HTTP edge, over HTTP as a browser or a script sends it: what it refuses, how it says so, and that
 * a refused call changes nothing.
 */
const harness = useRouterHarness();
const visitor: Browser = { customerId: null, cartId: null };
const key = () => randomUUID();

type ErrorBody = { message: string; code: number; data: { code: string; httpStatus: number; requestId: string | null; stack?: string } };

/** The error a response carries, as tRPC's client reads it (superjson's envelope undone). */
async function errorOf(response: Response): Promise<ErrorBody> {
  const body = (await response.json()) as { error: { json: ErrorBody; meta?: never } };
  return superjson.deserialize(body.error);
}

function postJson(input: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(superjson.serialize(input)) };
}

describe('the HTTP edge of the API', () => {
  it.each(['PUT', 'PATCH', 'DELETE'])('answers %s with 405, a JSON error that says what it answers, and an Allow header', async (method) => {
    const response = await harness.http(visitor, 'catalog.list', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(response.headers.get('content-type')).toContain('application/json');
    const error = await errorOf(response);
    expect(error.message).toBe(`The API answers GET (queries) and POST (mutations), not ${method}.`);
    expect(error.data).toMatchObject({ code: 'METHOD_NOT_SUPPORTED', httpStatus: 405, requestId: response.headers.get('x-request-id') });
  });

  it('answers a mutation asked for with GET, and a query sent with POST, with 405 and a message', async () => {
    const get = await harness.http(visitor, 'cart.addItem');
    expect(get.status).toBe(405);
    expect((await errorOf(get)).message).toBeTruthy();
    const post = await harness.http(visitor, 'catalog.list', postJson({}));
    expect(post.status).toBe(405);
    expect((await errorOf(post)).message).toBeTruthy();
  });

  it('refuses a body over the limit with 413, whether its length is declared or it comes in chunks', async () => {
    const before = await harness.countEvents();
    const big = JSON.stringify({ json: { idempotencyKey: key(), productId: 'x'.repeat(maxRequestBodyBytes), quantity: 1 } });
    const declared = await harness.http(visitor, 'cart.addItem', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).message).toBe(`A request's body may be at most ${maxRequestBodyBytes / 1024} KiB.`);

    // A stream has no length to declare: the edge counts as it reads and stops past the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent <= maxRequestBodyBytes; sent += 4096) controller.enqueue(new Uint8Array(4096).fill(32));
        controller.close();
      },
    });
    const chunked = await harness.http(visitor, 'cart.addItem', { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await harness.countEvents()).toBe(before);
  });

  it(`takes up to ${maxCallsPerBatch} calls in one batch and refuses more with 400`, async () => {
    const batch = (calls: number) => {
      const paths = Array.from({ length: calls }, () => 'session.current').join(',');
      const input = Object.fromEntries(Array.from({ length: calls }, (_, index) => [index, superjson.serialize(undefined)]));
      return harness.http(visitor, `${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`);
    };
    const full = await batch(maxCallsPerBatch);
    expect(full.status).toBe(200);
    expect(await full.json()).toHaveLength(maxCallsPerBatch);

    const over = await batch(maxCallsPerBatch + 1);
    expect(over.status).toBe(400);
    expect((await errorOf(over)).message).toBe(`A request may batch at most ${maxCallsPerBatch} calls.`);
  });

  it.each([
    ['a BigInt', 10n, 'The API takes plain JSON values, not a bigint.'],
    ['a Date', new Date(0), 'The API takes plain JSON values, not a Date.'],
    ['a Map', new Map([['a', 1]]), 'The API takes plain JSON values, not a Map.'],
    ['a Set', new Set([1]), 'The API takes plain JSON values, not a Set.'],
    ['a number that is not finite', Number.POSITIVE_INFINITY, 'Numbers must be finite.'],
    ['text with a NUL character', 'a\u0000b', 'Text may not contain NUL characters or broken Unicode.'],
    ['half a surrogate pair', 'a\ud800b', 'Text may not contain NUL characters or broken Unicode.'],
  ])('refuses a command carrying %s, even in a field it does not declare, with 400 and nothing appended', async (_, value, message) => {
    const product = await harness.listProduct(5);
    const before = await harness.countEvents();
    const response = await harness.http(
      { customerId: harness.customers.maya, cartId: null },
      'cart.addItem',
      postJson({ idempotencyKey: key(), productId: product.productId, quantity: 1, note: value }),
    );
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toBe(message);
    expect(await harness.countEvents()).toBe(before);
  });

  it('says what is wrong with a refused input in words, with the issues beside it, not as a dump of them', async () => {
    const response = await harness.http(
      { customerId: harness.customers.maya, cartId: null },
      'cart.checkOut',
      postJson({ idempotencyKey: key(), cartId: randomUUID(), shippingAddress: { ...shippingAddress, city: '' }, card: { number: '4242', expiry: '12/39', cvc: '1' } }),
    );
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.message).not.toMatch(/^\s*[[{]/);
    expect(error.message).toContain('Please enter the city.');
    expect(error.data).toMatchObject({ code: 'BAD_REQUEST', issues: expect.arrayContaining([expect.objectContaining({ path: 'shippingAddress.city' })]) });
  });

  it('gives every answer a request id, and takes a well-formed one from the caller', async () => {
    const fresh = await harness.http(visitor, 'session.current');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await harness.http(visitor, 'session.current', { headers: { 'x-request-id': 'proxy-42' } });
    expect(given.headers.get('x-request-id')).toBe('proxy-42');
    const forged = await harness.http(visitor, 'session.current', { headers: { 'x-request-id': 'a b\u0007c' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a failure inside the server, over HTTP', () => {
  // The server's maintenance database, never migrated: every read fails inside PostgreSQL, with its own message.
  const unmigrated = connect(new URL('/postgres', process.env.TEST_DATABASE_URL).href, { max: 2 });
  // A database nobody answers for: nothing listens on port 1.
  const unreachable = connect('postgres://postgres@127.0.0.1:1/hindsight', { max: 1 });
  afterAll(() => Promise.all([unmigrated.close(), unreachable.close()]));

  const call = (db: typeof unmigrated, path: string) =>
    handleApiRequest(new Request(`http://localhost:3999/api/trpc/${path}`), {
      database: { db, store: createEventStore(db.sql, shopStoreOptions) },
      auth: harness.auth,
      search: postgresSearch,
      payments: harness.payments,
    });

  it('answers 500 with a message that names the request id and carries no SQL, no parameters and no stack', async () => {
    const response = await call(unmigrated, `catalog.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ category: 'mugs' })))}`);
    expect(response.status).toBe(500);
    const requestId = response.headers.get('x-request-id');
    const error = await errorOf(response);
    expect(error.message).toBe(`Something went wrong on our side. If it keeps happening, please quote request ${requestId}.`);
    expect(error.data.requestId).toBe(requestId);
    expect(error.data.stack).toBeUndefined();
    expect(JSON.stringify(error)).not.toMatch(/select|relation|mugs|postgres/i);
  });

  it('answers 503 when the database cannot be reached, saying to try again', async () => {
    const response = await call(unreachable, `catalog.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`);
    expect(response.status).toBe(503);
    expect((await errorOf(response)).message).toBe('The shop cannot reach its database just now. Please try again in a moment.');
  });

  it('answers 503 when the database is gone or takes no connections (an operator closed it), saying to try again', async () => {
    const name = `hindsight_closed_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
    const url = (database: string) => new URL(`/${database}`, process.env.TEST_DATABASE_URL).href;
    const admin = connect(url('postgres'), { max: 1 });
    await admin.sql.query(`create database ${name}`);
    await admin.sql.query(`alter database ${name} allow_connections false`);
    const [closed, gone] = [connect(url(name), { max: 1 }), connect(url(`${name}_gone`), { max: 1 })];
    try {
      for (const db of [closed, gone]) {
        const response = await call(db, `catalog.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`);
        expect(response.status).toBe(503);
        expect((await errorOf(response)).message).toBe('The shop cannot reach its database just now. Please try again in a moment.');
      }
    } finally {
      await Promise.all([closed.close(), gone.close()]);
      await admin.sql.query(`drop database ${name}`);
      await admin.close();
    }
  });
});
