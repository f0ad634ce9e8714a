import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { inProcessTransport, type ReceivedMessage } from '@/contracts';
import { localNatsServer, shipmentRequest } from '@/contracts/testing';
import { warehouseCounts } from './counts';
import { outboxOf, publishedOutcomesOf, shipmentOf, until, useWarehouse } from './testing-hooks';

const ctx = useWarehouse();

/** A pino logger whose lines the test can read. */
function collectingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines, said: (text: RegExp, level?: number) => lines.filter((line) => text.test(line.msg) && (level === undefined || line.level === level)) };
}

describe('the outbox', () => {
  it('keeps an outcome while it cannot be published, sends it once it can, and logs the outage once', async () => {
    const transport = inProcessTransport(`test-${randomUUID().slice(0, 8)}`);
    const { logger, said } = collectingLogger();
    // In process a publish resolves only once the subscribers handled it: a shop that throws refuses the outcome.
    let refusing = true;
    let tries = 0;
    const received: ReceivedMessage[] = [];
    const shop = transport.subscribe({
      name: 'shop-shipments',
      filter: transport.subjects.filter('warehouse', 'shipment'),
      keyOf: (message) => message.payload.orderId,
      async handle(message) {
        tries++;
        if (refusing) throw new Error('the shop cannot take it now');
        received.push(message);
      },
    });
    ctx.defer(() => shop.stop());
    await ctx.start(transport, { logger });
    const before = await warehouseCounts(ctx.sql);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await transport.publish([request]);
    await until(() => tries >= 4, 10_000, 'the publisher to try a few times');

    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({ status: 'dispatched' });
    expect(await outboxOf(ctx.sql, orderId)).toEqual([{ contract: 'shipment.dispatched', published: false }]);
    const waiting = await warehouseCounts(ctx.sql);
    expect(waiting.outbox).toEqual({ unpublished: before.outbox.unpublished + 1, oldestUnpublishedAt: expect.any(String) });
    expect(waiting.shipments.dispatched).toBe(before.shipments.dispatched + 1);
    expect(said(/cannot publish/, 40)).toHaveLength(1);

    refusing = false;
    await until(() => received.length > 0, 10_000, 'the outcome');
    expect(received).toMatchObject([{ contract: 'shipment.dispatched', payload: { orderId }, causationId: request.id }]);
    // Marked after the acknowledgement, which here is the shop's handler returning.
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
    expect((await warehouseCounts(ctx.sql)).outbox.unpublished).toBe(before.outbox.unpublished);
    expect(said(/publishing its outcomes again/)).toHaveLength(1);
    expect(said(/cannot publish/, 40)).toHaveLength(1);
  });

  it('holds outcomes through a broker outage and delivers them, once, when the broker is back', async () => {
    const storeDir = await mkdtemp(join(tmpdir(), 'hindsight-warehouse-nats-'));
    const server = await localNatsServer(storeDir);
    ctx.defer(async () => {
      await server.kill();
      await rm(storeDir, { recursive: true, force: true });
    });
    await server.start();
    const warehouseSide = await ctx.broker(undefined, { servers: server.url });
    const shopSide = await ctx.broker(warehouseSide.names, { servers: server.url });
    const listener = ctx.listen(shopSide);
    // Dispatched 300 ms after the request: while the broker is down.
    await ctx.start(warehouseSide, { pickMs: 100, packMs: 100, dispatchMs: 100 });
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await shopSide.publish([request]);
    await until(async () => (await shipmentOf(ctx.sql, orderId)) !== undefined, 10_000, 'the request');

    await server.kill();
    await until(async () => (await shipmentOf(ctx.sql, orderId))?.status === 'dispatched', 10_000, 'the dispatch');
    expect(await outboxOf(ctx.sql, orderId)).toEqual([{ contract: 'shipment.dispatched', published: false }]);

    await server.start();
    await until(() => listener.of(orderId).length > 0, 30_000, 'the outcome after the outage');
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
    expect(listener.of(orderId)).toMatchObject([{ contract: 'shipment.dispatched', causationId: request.id }]);
  }, 60_000);
});
