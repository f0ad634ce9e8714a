import { connect as connectSocket } from 'node:net';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { card, cardNumber, newKey, useGatewayDatabase } from './testing-hooks';

/**
 * Whatever arrives at the edge, the gateway answers 4xx with its error shape, never 500, and stores nothing. The
 * requests are sent raw (fetch), not through the client, which would refuse some of them before sending.
 */
const ctx = useGatewayDatabase();

type Sent = { path: string; method?: string; key?: string; body?: string };

async function send({ path, method = 'POST', key, body }: Sent): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(`${ctx.gateway.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

const json = (value: unknown) => JSON.stringify(value);
const validCard = card(cardNumber('approve'));
let token = '';
let chargeKey = '';
/** The tables and the ledger after the set-up; every request below is refused, so they stay so. */
let before: unknown;

beforeAll(async () => {
  ({ token } = await ctx.client.tokenize(validCard));
  chargeKey = newKey();
  await ctx.client.charge({ idempotencyKey: chargeKey, token, amountCents: 1_000, currency: 'USD' });
  before = { counts: await ctx.counts(), ledger: await ctx.client.ledger() };
});

const sqlish = "';drop/**/table/**/payment_gateway.charges;--";
const huge = 'x'.repeat(100 * 1024);

const tokenize = (body: unknown): Sent => ({ path: '/v1/tokens', body: typeof body === 'string' ? body : json(body) });
/** `key: null` sends no Idempotency-Key. */
const charge = (body: object, key: string | null = newKey()): Sent => ({
  path: '/v1/charges',
  key: key ?? undefined,
  body: json({ token, amountCents: 1, currency: 'USD', ...body }),
});
const refund = (body: object, key: string | null = newKey()): Sent => ({
  path: '/v1/refunds',
  key: key ?? undefined,
  body: json({ chargeKey, amountCents: 1, ...body }),
});
const get = (path: string): Sent => ({ path, method: 'GET' });

/** What is sent (built once the set-up has made a token and a charge), the status expected, and the code. */
const cases: [string, () => Sent, number, string?][] = [
  ['a body that is not JSON', () => tokenize('{"number":'), 400, 'invalid_json'],
  ['an empty body', () => tokenize(''), 400, 'invalid_json'],
  ['a body over 16 KiB', () => tokenize({ ...validCard, number: huge }), 413, 'body_too_large'],
  ['a number as a number', () => tokenize({ ...validCard, number: 4242424242424242 }), 422, 'invalid_request'],
  ['an array body', () => tokenize([]), 422, 'invalid_request'],
  ['a null body', () => tokenize('null'), 422, 'invalid_request'],
  ['an unknown field', () => tokenize({ ...validCard, pin: '1234' }), 422, 'invalid_request'],
  ['a number failing Luhn', () => tokenize(card('4242 4242 4242 4241')), 422, 'invalid_number'],
  ['a number with letters', () => tokenize(card('4242 4242 4242 424x')), 422, 'invalid_number'],
  ['a NUL in the number', () => tokenize(card('4242\u00004242424242424242')), 422, 'invalid_number'],
  ['a broken surrogate', () => tokenize(card('4242 \ud800 4242')), 422, 'invalid_number'],
  ['an expiry in the past', () => tokenize({ ...validCard, expiry: '01/20' }), 422, 'expired_card'],
  ['month 13', () => tokenize({ ...validCard, expiry: '13/40' }), 422, 'invalid_expiry'],
  ['a two-digit cvc', () => tokenize({ ...validCard, cvc: '12' }), 422, 'invalid_cvc'],
  ['no Idempotency-Key', () => charge({}, null), 400, 'idempotency_key_missing'],
  ['an empty Idempotency-Key', () => charge({}, ''), 400, 'invalid_idempotency_key'],
  ['a 201-character key', () => charge({}, 'k'.repeat(201)), 400, 'invalid_idempotency_key'],
  ['a Latin-1 key', () => charge({}, 'clé'), 400, 'invalid_idempotency_key'],
  ['an unknown token', () => charge({ token: `tok_${'a'.repeat(24)}` }), 404, 'token_not_found'],
  ['an SQL-ish token', () => charge({ token: sqlish }), 422, 'invalid_request'],
  ['an SQL-ish key', () => charge({ token: sqlish }, sqlish), 422, 'invalid_request'],
  ['zero cents', () => charge({ amountCents: 0 }), 422, 'invalid_request'],
  ['fractional cents', () => charge({ amountCents: 1.5 }), 422, 'invalid_request'],
  ['cents as text', () => charge({ amountCents: '100' }), 422, 'invalid_request'],
  ['cents past the cap', () => charge({ amountCents: 100_000_001 }), 422, 'invalid_request'],
  ['infinite cents', () => ({ ...charge({}), body: `{"token":"${token}","amountCents":1e400,"currency":"USD"}` }), 422],
  ['a lower-case currency', () => charge({ currency: 'usd' }), 422, 'invalid_request'],
  ['a NUL in the currency', () => charge({ currency: 'US\u0000' }), 422, 'invalid_request'],
  ['a refund without a key', () => refund({}, null), 400, 'idempotency_key_missing'],
  ['a refund of an SQL-ish charge', () => refund({ chargeKey: sqlish }), 404, 'charge_not_found'],
  ['a refund of more than the charge', () => refund({ amountCents: 1_001 }), 422, 'refund_exceeds_charge'],
  ['a negative refund', () => refund({ amountCents: -5 }), 422, 'invalid_request'],
  ['a lookup of NUL', () => get('/v1/charges/%00'), 404, 'charge_not_found'],
  ['a lookup of a malformed escape', () => get('/v1/charges/%E0%A4%A'), 400, 'invalid_path'],
  ['a lookup of SQL', () => get(`/v1/charges/${encodeURIComponent("' or '1'='1")}`), 404, 'charge_not_found'],
  ['an unknown route', () => get('/v1/nothing'), 404, 'not_found'],
  ['a wrong method', () => ({ path: '/v1/charges', method: 'DELETE' }), 405, 'method_not_allowed'],
  ['a GET of a POST route', () => get('/v1/tokens'), 405, 'method_not_allowed'],
];

/** Latin-1 without control characters: what fetch lets into a header at all. */
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((code) => code !== 0x7f)
    .map((code) => String.fromCharCode(code)),
  maxLength: 220,
});

const anyBody = fc.oneof(
  fc.json(),
  fc.string(),
  fc.jsonValue().map((value) => json({ token, amountCents: value, currency: value })),
  fc.jsonValue().map((value) => json({ chargeKey: value, amountCents: value })),
);

describe('hostile input', () => {
  it.each(cases)('refuses %s', async (_name, request, status, code) => {
    const answer = await send(request());
    expect(answer.status).toBe(status);
    expect(answer.json).toEqual({ error: { code: code ?? expect.any(String), message: expect.any(String) } });
  });

  it('names the methods a route allows', async () => {
    const response = await fetch(`${ctx.gateway.url}/v1/charges`, { method: 'PUT' });
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('leaves a NUL in a header to the HTTP parser, which refuses it with 400', async () => {
    const { port } = new URL(ctx.gateway.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connectSocket(Number(port), '127.0.0.1', () => {
        socket.end('POST /v1/charges HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\u0000b\r\nContent-Length: 2\r\n\r\n{}');
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });

  it('answers any body and any key with a 4xx', async () => {
    const paths = fc.constantFrom('/v1/tokens', '/v1/charges', '/v1/refunds');
    await fc.assert(
      fc.asyncProperty(paths, fc.option(headerText), anyBody, async (path, key, body) => {
        const answer = await send({ path, key: key ?? undefined, body });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.json).toMatchObject({ error: { code: expect.any(String) } });
      }),
      { numRuns: 200 },
    );
  });

  it('stored nothing for any of them', async () => {
    expect({ counts: await ctx.counts(), ledger: await ctx.client.ledger() }).toEqual(before);
  });
});
