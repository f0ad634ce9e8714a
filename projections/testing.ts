import { asc } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { EventMetadata, EventStore, LogPosition, StreamAppend } from '@/db/event-store';
import type { OrderEvent, OrderLine, ShopEvent } from '@/server/domain';
import { linesTotalCents } from '@/server/domain/lines';
import type { Projection } from './runtime/projection';

/**
 * Shared by the read-model integration specs: appending typed domain events and dumping a projection's tables.
 * Events are typed as `ShopEvent`, so a spec cannot append a shape the domain would never emit.
 */

export function metadata(correlationId: string, actor = 'staff'): EventMetadata {
  return { correlationId, causationId: `command-${correlationId}`, actor, source: 'test' };
}

export type ShopAppend = { readonly streamId: string; readonly events: readonly ShopEvent[] };

/** Appends to one or more streams in one transaction and returns where its last event sits in the log. */
export async function appendShopEvents(
  store: EventStore,
  writes: ShopAppend | readonly ShopAppend[],
  meta: EventMetadata = metadata('correlation-test'),
): Promise<LogPosition> {
  const streams: StreamAppend[] = (Array.isArray(writes) ? writes : [writes]).map((write: ShopAppend) => ({
    ...write,
    // The specs append histories the deciders would allow; version checks are the event store's own spec.
    expectedVersion: 'any',
  }));
  const outcome = await store.appendToStreams(streams, { metadata: meta });
  if (outcome.kind !== 'appended' || !outcome.appended.last) throw new Error('nothing was appended');
  return outcome.appended.last;
}

/** Every row of every table of a projection, ordered by primary key so two dumps compare row by row. */
export async function dumpProjection(
  orm: PostgresJsDatabase,
  projection: Projection,
): Promise<Record<string, Record<string, unknown>[]>> {
  const dump: Record<string, Record<string, unknown>[]> = {};
  for (const table of projection.tables) {
    const config = getTableConfig(table);
    const keyColumns = [
      ...config.columns.filter((column) => column.primary),
      ...config.primaryKeys.flatMap((key) => key.columns),
    ];
    dump[config.name] = await orm
      .select()
      .from(table)
      .orderBy(...keyColumns.map((column) => asc(column)));
  }
  return dump;
}

/**
 * A copy of a projection, under the same name and tables, that applies the event at `at` and then throws, so
 * the batch's transaction fails after it has written something.
 */
export function failingAt(projection: Projection, at: LogPosition): Projection {
  return {
    ...projection,
    async apply(tx, event) {
      await projection.apply(tx, event);
      if (event.globalPosition === at.position) throw new Error(`injected failure on ${event.type}`);
    },
  };
}

export type FollowUp = Exclude<OrderEvent['type'], 'OrderPlaced'>;

/** An order's stream as the order decider would write it: placed at `placedAt`, then `then`, an hour apart. */
export function orderEvents(order: {
  orderId: string;
  customerId: string;
  lines: OrderLine[];
  placedAt: string;
  then?: readonly FollowUp[];
}): OrderEvent[] {
  const { orderId, customerId, lines, placedAt } = order;
  const totalCents = linesTotalCents(lines);
  const hoursLater = (hours: number) => new Date(Date.parse(placedAt) + hours * 3_600_000).toISOString();
  const followUps = (order.then ?? []).map((type, index): OrderEvent => {
    const at = hoursLater(index + 1);
    switch (type) {
      case 'OrderPaid':
        return { type, data: { orderId, amountCents: totalCents, paymentReference: `pay-${orderId}`, paidAt: at } };
      case 'OrderShipped':
        return { type, data: { orderId, carrier: 'UPS', trackingNumber: `1Z-${orderId}`, shippedAt: at } };
      case 'OrderDelivered':
        return { type, data: { orderId, deliveredAt: at } };
      case 'OrderCancelled':
        return { type, data: { orderId, reason: 'Customer asked', cancelledAt: at } };
    }
  });
  return [
    { type: 'OrderPlaced', data: { orderId, customerId, cartId: `cart-${orderId}`, lines, totalCents, placedAt } },
    ...followUps,
  ];
}
