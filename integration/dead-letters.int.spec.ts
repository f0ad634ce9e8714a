import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testNatsUrl } from '@/contracts/testing';
import { readConsumerStatus } from '@/db/consumers';
import { findDeadLetter } from '@/db/dead-letters';
import { readCheckpoint } from '@/db/event-store';
import { deadLetters } from '@/db/schema/dead-letters';
import { orderStreamId } from '@/domain';
import { postgresSearch } from '@/server/search';
import { retryDeadLetter } from '@/server/dead-letters';
import { appendShopEvents, orderEvents } from '@/projections/testing';
import { integrationRelay, relayAttempts, relayName } from './relay';
import { republishEvent } from './republish';
import { storedMessages, until, useIntegrationTest } from './testing';

/**
 * A message the broker refuses for good, on a real nats-server and a stream of the test's own: the stream's
 * size limit is below one order's message, as an operator might set it. The relay tries the batch
 * `relayAttempts` times on the engine, then publishes the rest and sets the refused one aside as a dead letter,
 * and its checkpoint moves past it. Once the limit is raised, a retry publishes it with its event id as the
 * message id, so JetStream stores it once.
 */
const ctx = useIntegrationTest();
const staff = 'staff:relay-dead-letters-spec';

/** An order placed, with `lines` lines of long product names: about 250 bytes of message per line. */
function placeOrder(lines: number) {
  const orderId = randomUUID();
  const placed = orderEvents({
    orderId,
    customerId: randomUUID(),
    lines: Array.from({ length: lines }, (_, index) => ({ productId: `p-${index}`, name: `${'Large Blue Mug '.repeat(12)}${index}`, unitPriceCents: 1_250, quantity: 1 })),
    placedAt: '2026-12-01T10:00:00.000Z',
  });
  return appendShopEvents(ctx.store, { streamId: orderStreamId(orderId), events: placed }).then((position) => ({ orderId, position }));
}

async function setMaxMessageBytes(bytes: number): Promise<void> {
  const nc = await connect({ servers: testNatsUrl });
  try {
    await (await jetstreamManager(nc)).streams.update(ctx.names.stream, { max_msg_size: bytes });
  } finally {
    await nc.close();
  }
}

describe('a message the broker refuses', () => {
  it('is a dead letter after the engine’s retries, the relay moves past it, and a retry after the fix publishes it once', { timeout: 30_000 }, async () => {
    const transport = ctx.transport();
    await transport.ensureStream();
    await setMaxMessageBytes(2_048);
    const small = await placeOrder(1);
    const large = await placeOrder(20);
    const after = await placeOrder(1);
    ctx.runWorker([integrationRelay(transport)]);

    await until(async () => {
      const checkpoint = await readCheckpoint(ctx.db.orm, relayName);
      return checkpoint.position === after.position.position;
    }, 'the relay to move past the refused message', 15_000);
    const [letter] = await ctx.db.orm.select().from(deadLetters).where(eq(deadLetters.consumer, relayName));
    expect(letter).toMatchObject({
      kind: 'message',
      target: 'order.placed',
      eventType: 'OrderPlaced',
      streamId: orderStreamId(large.orderId),
      streamVersion: 1,
      status: 'open',
      attempts: relayAttempts,
      error: expect.stringMatching(/^JetStream refused it: message size exceeds maximum allowed/),
    });
    const orderIdsStored = async () =>
      (await storedMessages(ctx.names.stream, `${ctx.names.prefix}.>`)).map((message) => (JSON.parse(message.body) as { orderId: string }).orderId);
    expect(await orderIdsStored()).toEqual([small.orderId, after.orderId]);
    // While it retried, the status page said why; once past, the relay is healthy again.
    const relay = (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === relayName);
    expect(relay).toMatchObject({ failingSince: null, lastError: expect.stringMatching(/^MessagesRejectedError: Message .* was refused: JetStream refused it/) });

    const context = { db: ctx.db, store: ctx.store, search: postgresSearch, broker: () => transport };
    // Before the fix: refused again, still open.
    expect(await retryDeadLetter(context, letter!.id, staff)).toEqual({ status: 'open', error: expect.stringMatching(/message size exceeds maximum/) });
    expect(await findDeadLetter(ctx.db.orm, letter!.id)).toMatchObject({ status: 'open', attempts: relayAttempts + 1 });

    await setMaxMessageBytes(-1);
    expect(await retryDeadLetter(context, letter!.id, staff)).toEqual({ status: 'retried' });
    expect(await findDeadLetter(ctx.db.orm, letter!.id)).toMatchObject({ status: 'retried', resolvedBy: staff });
    const stored = await storedMessages(ctx.names.stream, `${ctx.names.prefix}.>`);
    expect(stored.map((message) => message.id)).toEqual([...stored.slice(0, 2).map((message) => message.id), letter!.eventId]);
    expect(await orderIdsStored()).toEqual([small.orderId, after.orderId, large.orderId]);

    // Published again (a second server's retry that raced this one): the same message id, stored once.
    expect(await republishEvent(transport, ctx.store, letter!)).toEqual({ ok: true });
    expect(await storedMessages(ctx.names.stream, `${ctx.names.prefix}.>`)).toHaveLength(3);
  });
});
