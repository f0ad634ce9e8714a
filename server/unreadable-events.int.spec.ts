import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catchUp, readConsumerStatus, runConsumers } from '@/db/consumers';
import { createEventStore, UnreadableEventError, type EventSchemas } from '@/db/event-store';
import { orderStreamId, shopEventSchemas } from '@/domain';
import { orderDetailProjection } from '@/projections/order-detail/projection';
import { useShopDatabase } from '@/projections/testing';

/**
 * An event the code cannot read is never skipped: a rebuild stops at it and says which event and why; a
 * live consumer stops at it, the status page shows the reason, and it goes on once code that can read it
 * runs. Here the event is an OrderPlaced v4, as newer code would write it during a rolling deploy.
 */
const ctx = useShopDatabase();

const placedV4 = (orderId: string) => ({
  orderId,
  customerId: randomUUID(),
  cartId: randomUUID(),
  lines: [{ productId: randomUUID(), name: 'Blue Mug', unitPriceCents: 1_250, quantity: 1 }],
  totalCents: 1_250,
  currency: 'USD',
  shippingAddress: null,
  payment: null,
  placedAt: '2025-03-01T09:00:00.000Z',
  giftWrapped: true,
});

/** The newer code: OrderPlaced v4 adds `giftWrapped`, which today's read models do not need. */
const newerSchemas: EventSchemas = {
  ...shopEventSchemas,
  OrderPlaced: [
    ...shopEventSchemas.OrderPlaced,
    {
      schema: (shopEventSchemas.OrderPlaced[2].schema as unknown as z.ZodObject).extend({ giftWrapped: z.boolean() }),
      upcast: (v3: object) => ({ ...v3, giftWrapped: false }),
    },
  ],
};

describe('an event the code cannot read', () => {
  it('stops a rebuild at the event, names it, and lets code that can read it go on', async () => {
    const orderId = randomUUID();
    const [inserted] = await ctx.db.sql.query<{ position: string }>(
      `insert into events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
       values ($1::uuid, $2, 1, 'OrderPlaced', 4, $3::text::jsonb, '{"correlationId":"c","causationId":"c","actor":"staff","source":"newer-code"}')
       returning global_position::text as position`,
      [randomUUID(), orderStreamId(orderId), JSON.stringify(placedV4(orderId))],
    );

    const position = inserted!.position;
    const failure = await catchUp(ctx.source, orderDetailProjection, { batchSize: 100 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UnreadableEventError);
    expect((failure as Error).message).toMatch(new RegExp(`OrderPlaced v4 event at position ${position}, ${orderStreamId(orderId)} version 1: OrderPlaced has no version 4`));

    // A live consumer stops there too, and says why on the status page.
    const controller = new AbortController();
    const running = runConsumers(ctx.source, [orderDetailProjection], { batchSize: 100, pollMs: 50, logger: pino({ level: 'silent' }), signal: controller.signal });
    try {
      await expect
        .poll(async () => (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === orderDetailProjection.name)?.lastError, { timeout: 10_000 })
        .toMatch(/OrderPlaced v4 event at position/);
    } finally {
      controller.abort();
      await running;
    }

    // Code that knows v4 reads it, upcast to its own current shape, and the read model goes on from there.
    const newer = { orm: ctx.db.orm, store: createEventStore(ctx.db.sql, { schemas: newerSchemas }) };
    await catchUp(newer, orderDetailProjection, { batchSize: 100 });
    const [row] = await ctx.db.sql.query<{ status: string }>('select status from order_details where order_id = $1', [orderId]);
    expect(row).toEqual({ status: 'placed' });
  });
});
