import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage, TransportProblem } from '@/contracts';
import { testNatsUrl } from '@/contracts/testing';
import { logStart } from '@/db/event-store';
import { shipmentStreamId } from '@/domain';
import { shipmentInboxName, startShipmentInbox } from './inbox';
import { consumerCaughtUp, storedMessages, until, useIntegrationTest } from './testing';

/**
 * The shop's inbox for the warehouse's outcomes, over a real nats-server. A message that breaks its contract
 * would fail however often it came again, so it is set aside under the inbox's dead-letter subject with the
 * reason, and the messages behind it go on. An outcome that arrives twice (the warehouse published it again
 * after the broker's duplicate window) becomes one shipment event: the append's idempotency key is
 * `inbox:<message id>`, kept for ever, where the duplicate window is two minutes.
 */
const ctx = useIntegrationTest();

function dispatched(orderId: string): OutgoingMessage {
  return {
    id: randomUUID(),
    contract: 'shipment.dispatched',
    payload: { orderId, carrier: 'Parcel Post', trackingNumber: 'PP0123456789', dispatchedAt: new Date().toISOString() },
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
  };
}

const typesOf = async (streamId: string) => (await ctx.store.readStream(streamId)).map((event) => event.type);

describe("the shop's inbox", () => {
  it('dead-letters a dispatch notice that breaks its contract, with the reason, appends nothing for it, and takes the next good one', async () => {
    const transport = ctx.transport();
    await transport.ensureStream();
    const brokenOrderId = randomUUID();
    const brokenBody = JSON.stringify({ orderId: brokenOrderId, carrier: '', trackingNumber: 'PP0123456789', dispatchedAt: 'yesterday' });
    // Raw, as a warehouse with a bug (or another producer) could: the transport's own publish checks the contract.
    const nc = await connect({ servers: testNatsUrl });
    ctx.defer(() => nc.close());
    await jetstream(nc).publish(transport.subjects.of('shipment.dispatched'), brokenBody, { msgID: 'broken-dispatch' });
    const good = dispatched(randomUUID());
    await transport.publish([good]);
    const head = await ctx.store.readHead();

    const problems: TransportProblem[] = [];
    const inbox = startShipmentInbox(transport, ctx.store, (problem) => problems.push(problem));
    ctx.defer(() => inbox.stop());
    await until(async () => (await typesOf(shipmentStreamId(good.payload.orderId))).length > 0, 'the good notice to be appended');
    await consumerCaughtUp(ctx.names.stream, shipmentInboxName);

    expect(problems).toEqual([
      {
        kind: 'dead-lettered',
        subscription: shipmentInboxName,
        subject: transport.subjects.of('shipment.dispatched'),
        reason: expect.stringMatching(/^the body does not match shipment\.dispatched v1: carrier: .*; dispatchedAt: /),
      },
    ]);
    const [letter, ...more] = await storedMessages(ctx.names.stream, transport.subjects.deadLetter(shipmentInboxName));
    expect(more).toEqual([]);
    expect(letter).toMatchObject({
      subject: `${ctx.names.prefix}.deadletter.shop-shipments`,
      body: brokenBody,
      headers: {
        'Hindsight-Dead-Letter-Reason': (problems[0] as { reason: string }).reason,
        'Hindsight-Original-Subject': transport.subjects.of('shipment.dispatched'),
        'Nats-Msg-Id': 'shop-shipments:broken-dispatch',
      },
    });
    expect((await transport.stats()).deadLetters).toEqual([{ consumer: 'shop-shipments', count: 1 }]);

    // The good notice is the only thing appended since: nothing for the broken one.
    const appended = await ctx.store.readAll({ after: head ?? logStart, limit: 100 });
    expect(appended.events.map((event) => [event.streamId, event.type])).toEqual([[shipmentStreamId(good.payload.orderId), 'ShipmentDispatched']]);
    expect(await typesOf(shipmentStreamId(brokenOrderId))).toEqual([]);
  });

  it('appends an outcome delivered twice once, past the duplicate window too', async () => {
    // A duplicate window of 100 ms, so the repeat below is stored and delivered: only the inbox's key stands in its way.
    const transport = ctx.transport({ duplicateWindowMs: 100 });
    await transport.ensureStream();
    const inbox = startShipmentInbox(transport, ctx.store);
    ctx.defer(() => inbox.stop());
    const notice = dispatched(randomUUID());
    const streamId = shipmentStreamId(notice.payload.orderId);
    await transport.publish([notice]);
    await until(async () => (await typesOf(streamId)).length > 0, 'the notice to be appended');

    // Past the window: JetStream takes the same message id as a new message.
    await sleep(300);
    expect(await transport.publish([notice])).toEqual([{ id: notice.id, duplicate: false }]);
    await consumerCaughtUp(ctx.names.stream, shipmentInboxName);
    expect((await storedMessages(ctx.names.stream, transport.subjects.of('shipment.dispatched'))).map((message) => message.id)).toEqual([
      notice.id,
      notice.id,
    ]);
    expect(await typesOf(streamId)).toEqual(['ShipmentDispatched']);
    expect(await ctx.store.findCommandResult(`inbox:${notice.id}`)).not.toBeNull();
  });
});
