import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { OutgoingMessage } from './messages';
import { natsTransport, type IntegrationTransport } from './transport';

/** The broker the integration tests use: NATS_URL, or the local nats-server (scripts/nats.sh). */
export const testNatsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';

/** A stream and subject prefix of the test's own, so runs never see each other's messages. */
export function testStreamNames(): { stream: string; prefix: string } {
  const suffix = randomUUID().slice(0, 8);
  return { stream: `TEST_${suffix.toUpperCase()}`, prefix: `test-${suffix}` };
}

/** A JetStream transport on its own stream, and a cleanup that deletes the stream. */
export function testNatsTransport(names = testStreamNames(), servers = testNatsUrl): IntegrationTransport & { readonly names: typeof names } {
  const transport = natsTransport({ servers, ...names, name: `hindsight-test-${names.prefix}` });
  return Object.assign(transport, { names });
}

export async function deleteTestStream(stream: string, servers = testNatsUrl): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => {});
  } finally {
    await nc.close();
  }
}

/** A well-formed shipment request, for a fresh order unless one is given. */
export function shipmentRequest(orderId: string = randomUUID(), overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: randomUUID(),
    contract: 'shipment.requested',
    payload: {
      orderId,
      items: [{ productId: randomUUID(), name: 'Blue Mug', quantity: 2 }],
      shipTo: { name: 'Ada Lovelace', line1: '1 Analytical Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' },
      requestedAt: new Date().toISOString(),
    },
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    ...overrides,
  } as OutgoingMessage;
}
