import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteTestStream, localNatsServer, shipmentRequest, testNatsTransport, testNatsUrl } from '../testing';
import type { OutgoingMessage, ReceivedMessage } from '../messages';
import type { IntegrationTransport } from './types';

const opened: (IntegrationTransport & { names: { stream: string } })[] = [];
afterEach(async () => {
  for (const transport of opened.splice(0)) {
    await transport.close();
    await deleteTestStream(transport.names.stream);
  }
});

function open() {
  const transport = testNatsTransport();
  opened.push(transport);
  return transport;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the JetStream transport (a real nats-server)', () => {
  it('publishes with the message id, so a repeat within the duplicate window is stored once', async () => {
    const transport = open();
    await transport.ensureStream();
    const message = shipmentRequest();
    const [first] = await transport.publish([message]);
    const [again] = await transport.publish([message]);
    expect(first).toEqual({ id: message.id, duplicate: false });
    expect(again).toEqual({ id: message.id, duplicate: true });
    expect((await transport.stats()).messages).toBe(1);
  });

  it('refuses a batch with a message that breaks its contract, sending none of it', async () => {
    const transport = open();
    await transport.ensureStream();
    const broken = { ...shipmentRequest(), payload: { ...shipmentRequest().payload, items: [] } } as OutgoingMessage;
    await expect(transport.publish([shipmentRequest(), broken])).rejects.toThrow();
    expect((await transport.stats()).messages).toBe(0);
  });

  it('creates the stream, and updates it to its settings when it exists with others', async () => {
    const transport = open();
    await transport.ensureStream();
    await transport.ensureStream();
    const stats = await transport.stats();
    expect(stats).toMatchObject({ kind: 'nats', stream: transport.names.stream, connected: true, messages: 0, deadLetters: [] });
  });

  it("delivers a durable consumer's messages once each, a key's in order, and acknowledges after the handler", async () => {
    const transport = open();
    await transport.ensureStream();
    const orderIds = [randomUUID(), randomUUID(), randomUUID()];
    const messages = orderIds.flatMap((orderId) => [
      shipmentRequest(orderId),
      { ...shipmentRequest(orderId), contract: 'shipment.cancellation-requested' as const, payload: { orderId, requestedAt: new Date().toISOString() } },
    ]);
    await transport.publish(messages);
    const seen: ReceivedMessage[] = [];
    const subscription = transport.subscribe({
      name: 'warehouse',
      filter: transport.subjects.filter('shop', 'shipment'),
      keyOf: (message) => message.payload.orderId,
      async handle(message) {
        // Slow for the first of each order: the second must still wait for it.
        if (message.contract === 'shipment.requested') await new Promise((resolve) => setTimeout(resolve, 50));
        seen.push(message);
      },
    });
    await until(() => seen.length === messages.length);
    await subscription.stop();
    for (const orderId of orderIds) {
      expect(seen.filter((message) => message.payload.orderId === orderId).map((message) => message.contract)).toEqual([
        'shipment.requested',
        'shipment.cancellation-requested',
      ]);
    }
    expect(seen.map((message) => message.id).sort()).toEqual(messages.map((message) => message.id).sort());
    expect(seen[0]).toMatchObject({ correlationId: messages.find((m) => m.id === seen[0]!.id)!.correlationId, subject: transport.subjects.of(seen[0]!.contract) });

    // Everything was acknowledged: the same durable consumer, started again, receives nothing.
    const again: ReceivedMessage[] = [];
    const second = transport.subscribe({ name: 'warehouse', filter: transport.subjects.filter('shop', 'shipment'), keyOf: (m) => m.id, handle: async (m) => void again.push(m) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await second.stop();
    expect(again).toEqual([]);
  });

  it('delivers again a message whose handler failed', async () => {
    const transport = open();
    await transport.ensureStream();
    await transport.publish([shipmentRequest()]);
    let attempts = 0;
    const subscription = transport.subscribe({
      name: 'flaky',
      filter: transport.subjects.filter('shop', 'shipment'),
      keyOf: (message) => message.id,
      async handle() {
        attempts++;
        if (attempts === 1) throw new Error('the database is away');
      },
    });
    await until(() => attempts === 2);
    await subscription.stop();
  });

  it('refuses a message that breaks its contract into the dead-letter subject, with the reason, and counts it', async () => {
    const transport = open();
    await transport.ensureStream();
    const nc = await connect({ servers: testNatsUrl });
    const js = jetstream(nc);
    const hdrs = headers();
    hdrs.set('Nats-Msg-Id', 'bad-1');
    await js.publish(transport.subjects.of('shipment.requested'), JSON.stringify({ orderId: 42 }), { headers: hdrs });
    await js.publish(transport.subjects.of('shipment.requested'), 'not json', { msgID: 'bad-2' });
    await transport.publish([shipmentRequest()]);
    const problems: string[] = [];
    const handled: ReceivedMessage[] = [];
    const subscription = transport.subscribe({
      name: 'strict',
      filter: transport.subjects.filter('shop', 'shipment'),
      keyOf: (message) => message.id,
      handle: async (message) => void handled.push(message),
      onProblem: (problem) => problem.kind === 'dead-lettered' && problems.push(problem.reason),
    });
    await until(() => handled.length === 1 && problems.length === 2);
    await subscription.stop();
    expect(problems[0]).toMatch(/does not match shipment.requested v1: orderId/);
    expect(problems[1]).toBe('the body is not JSON');
    expect((await transport.stats()).deadLetters).toEqual([{ consumer: 'strict', count: 2 }]);

    const jsm = await jetstreamManager(nc);
    const last = await jsm.streams.getMessage(transport.names.stream, { last_by_subj: transport.subjects.deadLetter('strict') });
    expect(last?.header.get('Hindsight-Dead-Letter-Reason')).toBe('the body is not JSON');
    expect(last?.header.get('Hindsight-Original-Subject')).toBe(transport.subjects.of('shipment.requested'));
    await nc.close();
  });

  it('answers stats without throwing while no broker is reachable, and says why', async () => {
    const transport = testNatsTransport(undefined, 'nats://127.0.0.1:1');
    const stats = await transport.stats();
    expect(stats).toMatchObject({ kind: 'nats', connected: false, messages: null });
    expect(stats.problem).toMatch(/did not answer/);
    await expect(transport.publish([shipmentRequest()])).rejects.toThrow(/did not answer/);
    await transport.close();
  });

  it('survives the broker going away: publishes fail meanwhile, and the subscription resumes when it is back', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'hindsight-nats-'));
    const server = await localNatsServer(storeDir);
    await server.start();
    const transport = testNatsTransport(undefined, server.url);
    try {
      await transport.ensureStream();
      const seen = new Set<string>();
      const subscription = transport.subscribe({
        name: 'patient',
        filter: transport.subjects.filter('shop', 'shipment'),
        keyOf: (message) => message.id,
        handle: async (message) => void seen.add(message.id),
      });
      const before = shipmentRequest();
      await transport.publish([before]);
      await until(() => seen.has(before.id));

      await server.kill();
      await expect(transport.publish([shipmentRequest()])).rejects.toThrow();

      await server.start();
      const after = shipmentRequest();
      // The client reconnects by itself; the first publish after the restart may still find it reconnecting.
      for (let attempt = 0; ; attempt++) {
        try {
          await transport.publish([after]);
          break;
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      await until(() => seen.has(after.id), 20_000);
      await subscription.stop();
    } finally {
      await transport.close();
      await server.kill();
      await rm(storeDir, { recursive: true, force: true });
    }
  }, 60_000);
});
