import { describe, expect, it } from 'vitest';
import { contractNames, contractsOf, integrationEvents } from './events';
import { decode, encode, headerNames, type OutgoingMessage } from './messages';
import { subjects } from './subjects';
import { inProcessTransport, MessagesRejectedError } from './transport';

const names = subjects('hindsight');

const request: OutgoingMessage = {
  id: 'c0a8f8e2-0000-4000-8000-000000000001',
  contract: 'shipment.requested',
  payload: {
    orderId: 'order-1',
    items: [{ productId: 'product-1', name: 'Blue Mug', quantity: 2 }],
    shipTo: { name: 'Ada', line1: '1 Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' },
    requestedAt: '2026-12-01T10:00:00.000Z',
  },
  occurredAt: '2026-12-01T10:00:00.000Z',
  correlationId: 'checkout-1',
  causationId: 'event-1',
};

describe('subjects', () => {
  it('name the producer, the contract and its version', () => {
    expect(names.of('shipment.requested')).toBe('hindsight.shop.shipment.requested.v1');
    expect(names.of('shipment.dispatched')).toBe('hindsight.warehouse.shipment.dispatched.v1');
    expect(names.filter('warehouse', 'shipment')).toBe('hindsight.warehouse.shipment.>');
    expect(names.deadLetter('warehouse')).toBe('hindsight.deadletter.warehouse');
  });

  it('map back to their contract, and only ours of this version', () => {
    for (const name of contractNames) expect(names.contractOf(names.of(name))).toBe(name);
    expect(names.contractOf('hindsight.shop.shipment.requested.v2')).toBeNull();
    expect(names.contractOf('other.shop.shipment.requested.v1')).toBeNull();
  });

  it('refuse a prefix NATS would split or match wrongly', () => {
    expect(() => subjects('Hindsight')).toThrow(/lowercase/);
    expect(() => subjects('a b')).toThrow();
    expect(() => subjects('a.>')).toThrow();
    expect(subjects('test-1.shop').of('order.placed')).toBe('test-1.shop.shop.order.placed.v1');
  });

  it('split the contracts between their producers', () => {
    expect(contractsOf('warehouse').sort()).toEqual(['shipment.cancelled', 'shipment.dispatched', 'shipment.failed']);
    expect(contractsOf('shop')).toHaveLength(contractNames.length - 3);
  });
});

describe('encode and decode', () => {
  it('round-trip a message: the payload as the body, the rest in headers', () => {
    const wire = encode(names, request);
    expect(wire.subject).toBe('hindsight.shop.shipment.requested.v1');
    expect(wire.headers).toMatchObject({
      [headerNames.messageId]: request.id,
      [headerNames.contract]: 'shipment.requested',
      [headerNames.version]: '1',
      [headerNames.correlationId]: 'checkout-1',
      [headerNames.causationId]: 'event-1',
    });
    expect(JSON.parse(wire.body)).toEqual(request.payload);
    expect(decode(names, wire)).toEqual({
      ok: true,
      message: { ...request, subject: wire.subject },
    });
  });

  it('refuse to publish a payload its contract does not accept: the producer fails, not every consumer', () => {
    expect(() => encode(names, { ...request, payload: { ...request.payload, items: [] } } as OutgoingMessage)).toThrow();
    expect(() => encode(names, { ...request, contract: 'payment.captured' } as unknown as OutgoingMessage)).toThrow();
  });

  it('refuse, with a reason, what a consumer cannot trust', () => {
    const wire = encode(names, request);
    const refused = (changes: Partial<typeof wire>) => {
      const decoded = decode(names, { ...wire, ...changes });
      return decoded.ok ? null : decoded.reason;
    };
    expect(refused({ subject: 'hindsight.shop.shipment.requested.v9' })).toMatch(/not a subject of any contract/);
    expect(refused({ headers: { ...wire.headers, [headerNames.messageId]: '' } })).toMatch(/no Nats-Msg-Id/);
    expect(refused({ headers: { ...wire.headers, [headerNames.contract]: 'order.placed' } })).toMatch(/says order.placed/);
    expect(refused({ body: '{' })).toBe('the body is not JSON');
    expect(refused({ body: JSON.stringify({ ...request.payload, shipTo: { ...request.payload.shipTo, country: 'Netherlands' } }) })).toMatch(
      /does not match shipment.requested v1: shipTo.country/,
    );
    expect(refused({ body: JSON.stringify({ ...request.payload, internal: true }) })).toMatch(/does not match/);
  });

  it('keep money in minor units with a currency, never a float', () => {
    const schema = integrationEvents['payment.captured'].schema;
    const base = { orderId: 'o', paymentId: 'ch_1', capturedAt: '2026-12-01T10:00:00.000Z' };
    expect(schema.safeParse({ ...base, amount: { amountMinor: 1799, currency: 'USD' } }).success).toBe(true);
    expect(schema.safeParse({ ...base, amount: { amountMinor: 17.99, currency: 'USD' } }).success).toBe(false);
    expect(schema.safeParse({ ...base, amount: { amountMinor: 1799, currency: 'usd' } }).success).toBe(false);
    expect(schema.safeParse({ ...base, amount: { amountMinor: 1799, currency: 'USD' }, capturedAt: '2026-12-01T11:00:00+01:00' }).success).toBe(false);
  });
});

describe('the in-process transport', () => {
  it("hands a message to the matching subscriptions and acknowledges once they handled it", async () => {
    const transport = inProcessTransport();
    const warehouse: string[] = [];
    const shop: string[] = [];
    transport.subscribe({ name: 'warehouse', filter: names.filter('shop', 'shipment'), keyOf: (m) => m.id, handle: async (m) => void warehouse.push(m.contract) });
    transport.subscribe({ name: 'shop', filter: names.filter('warehouse', 'shipment'), keyOf: (m) => m.id, handle: async (m) => void shop.push(m.contract) });
    const receipts = await transport.publish([request]);
    expect(receipts).toEqual([{ id: request.id, duplicate: false }]);
    expect(warehouse).toEqual(['shipment.requested']);
    expect(shop).toEqual([]);
    expect(await transport.stats()).toMatchObject({ kind: 'in-process', connected: true, messages: 1, deadLetters: [] });
  });

  it('fails the publish when a handler fails, so the producer publishes again', async () => {
    const transport = inProcessTransport();
    let fail = true;
    const handled: string[] = [];
    transport.subscribe({
      name: 'warehouse',
      filter: names.filter('shop', 'shipment'),
      keyOf: (m) => m.id,
      async handle(message) {
        if (fail) throw new Error('the database is away');
        handled.push(message.id);
      },
    });
    await expect(transport.publish([request])).rejects.toThrow('the database is away');
    fail = false;
    await transport.publish([request]);
    expect(handled).toEqual([request.id]);
  });

  it('refuses a batch with a message that breaks its contract, delivering none of it', async () => {
    const transport = inProcessTransport();
    const handled: string[] = [];
    transport.subscribe({ name: 'w', filter: names.filter('shop', 'shipment'), keyOf: (m) => m.id, handle: async (m) => void handled.push(m.id) });
    const broken = { ...request, id: 'c0a8f8e2-0000-4000-8000-000000000002', payload: { ...request.payload, items: [] } } as OutgoingMessage;
    const refused = await transport.publish([request, broken]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MessagesRejectedError);
    // Refused for what it is, named by id: the relay sets that one aside and publishes the rest.
    expect((refused as MessagesRejectedError).rejections).toEqual([{ id: broken.id, reason: expect.stringMatching(/^it breaks the shipment.requested contract: items/) }]);
    expect(handled).toEqual([]);
  });

  it("hands different keys over side by side and a key's messages in order, skipping a key's after its failure", async () => {
    const transport = inProcessTransport();
    const forOrder = (orderId: string, id: string, contract: 'shipment.requested' | 'shipment.cancellation-requested'): OutgoingMessage =>
      contract === 'shipment.requested'
        ? { ...request, id, payload: { ...request.payload, orderId } }
        : { ...request, id, contract, payload: { orderId, requestedAt: request.occurredAt } };
    const handled: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    transport.subscribe({
      name: 'warehouse',
      filter: names.filter('shop', 'shipment'),
      keyOf: (m) => m.payload.orderId,
      async handle(message) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        if (message.id === 'b-1') throw new Error('refused');
        handled.push(message.id);
      },
    });
    const publish = transport.publish([
      forOrder('a', 'a-1', 'shipment.requested'),
      forOrder('b', 'b-1', 'shipment.requested'),
      forOrder('a', 'a-2', 'shipment.cancellation-requested'),
      forOrder('b', 'b-2', 'shipment.cancellation-requested'),
    ]);
    await expect(publish).rejects.toThrow('refused');
    expect(handled).toEqual(['a-1', 'a-2']);
    expect(mostInFlight).toBe(2);
  });

  it('stops delivering to a stopped subscription', async () => {
    const transport = inProcessTransport();
    const handled: string[] = [];
    const running = transport.subscribe({ name: 'w', filter: names.filter('shop', 'shipment'), keyOf: (m) => m.id, handle: async (m) => void handled.push(m.id) });
    await running.stop();
    await transport.publish([request]);
    expect(handled).toEqual([]);
  });
});
