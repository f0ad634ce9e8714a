import { asc } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { expect, it } from 'vitest';
import { catchUp, type BatchOptions } from '@/db/consumers';
import { readCheckpoint, type EventMetadata, type EventStore, type LogPosition, type StreamAppend } from '@/db/event-store';
import { useTestDatabase, type TestContext } from '@/db/testing-hooks';
import { shopEventSchemas, type Line, type OrderEvent, type ShippingAddress, type ShopEvent } from '@/domain';
import { linesTotalCents } from '@/domain/lines';
import type { Projection } from './runtime/projection';

/**
 * Shared by the read-model integration specs: appending typed domain events and dumping a projection's tables.
 * Events are typed as `ShopEvent`, so a spec cannot append a shape the domain would never emit.
 */

/** Where the specs' orders ship to. */
export const testAddress: ShippingAddress = { name: 'Ann Example', line1: '1 Test Lane', postalCode: '1011 AB', city: 'Amsterdam', country: 'NL' };

/** The calling spec file's own test database, with an event store over the shop's event schemas. */
export function useShopDatabase(setup?: (context: TestContext) => Promise<void> | void): TestContext {
  return useTestDatabase(setup, shopEventSchemas);
}

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
  orm: Orm,
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

/** Small batches, so a catch-up spans several transactions and checkpoints. */
export const smallBatches: BatchOptions = { batchSize: 2 };

/**
 * A copy of a projection, under the same name and tables, that applies the event at `at` and then throws, so
 * the batch's transaction fails after it has written something.
 */
function failingAt(projection: Projection, at: LogPosition): Projection {
  return {
    ...projection,
    async applyBatch(tx, events) {
      const upTo = events.findIndex((event) => event.globalPosition === at.position);
      await projection.applyBatch(tx, upTo < 0 ? events : events.slice(0, upTo + 1));
      if (upTo >= 0) throw new Error(`injected failure on ${events[upTo]?.type}`);
    },
  };
}

export type FollowUp = Exclude<OrderEvent['type'], 'OrderPlaced'>;

/** An order's stream as the order decider would write it: placed at `placedAt`, then `then`, an hour apart. */
export function orderEvents(order: {
  orderId: string;
  customerId: string;
  lines: Line[];
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
        return { type, data: { orderId, reason: 'Customer asked', cancelledBy: 'customer', cancelledAt: at } };
    }
  });
  return [
    {
      type: 'OrderPlaced',
      data: { orderId, customerId, cartId: `cart-${orderId}`, lines, totalCents, currency: 'USD', shippingAddress: testAddress, payment: null, placedAt },
    },
    ...followUps,
  ];
}

/**
 * The two exactly-once tests every read model owes. Each stands alone: it appends events of its own and catches
 * up before it checks anything, so it passes alone, in any order, and beside any of the spec's own tests.
 * - a second catch-up reads nothing and changes neither a row nor the checkpoint;
 * - a batch that fails part-way rolls back, rows and checkpoint alike, and applies in full once the fault is gone
 *   (so the test leaves no unapplied events behind for the next one).
 *
 * `appendBatch(key)` appends exactly one batch of `smallBatches` (two events) that the projection writes rows
 * for, under ids made from `key`, and returns the position of the last one: the copy of the projection from
 * `failingAt` fails there, after applying the first. It is called three times, with a different key each time,
 * and the read model's rows are shared by the file's tests, so the ids must be the key's alone.
 * `afterRecovery`, when given, runs at the end of the second test, e.g. to read what the recovered batch wrote.
 */
export function itAppliesExactlyOnce(
  projection: Projection,
  spec: {
    ctx: TestContext;
    appendBatch: (key: string) => Promise<LogPosition>;
    afterRecovery?: (last: LogPosition, key: string) => Promise<void>;
  },
): void {
  const { ctx, appendBatch, afterRecovery } = spec;
  const project = (consumer: Projection = projection) => catchUp(ctx.source, consumer, smallBatches);
  const snapshot = async () => ({
    rows: await dumpProjection(ctx.db.orm, projection),
    checkpoint: await readCheckpoint(ctx.db.orm, projection.name),
  });

  it('applies nothing twice: a second catch-up reads nothing and changes no row', async () => {
    const before = await snapshot();
    const last = await appendBatch('once-replayed');
    await project();
    const applied = await snapshot();
    // The batch wrote rows and moved the checkpoint, so "nothing changes" below is about a read model with rows.
    expect(applied.rows).not.toEqual(before.rows);
    expect(applied.checkpoint).toEqual(last);

    expect(await project()).toBe(0);
    expect(await snapshot()).toEqual(applied);
  });

  it('rolls back a batch that fails part-way: neither its rows nor the checkpoint move', async () => {
    // Rows and a checkpoint of its own for the failed batch to leave alone; the catch-up also leaves the
    // checkpoint at the log's head, so the batch below is the next batch read, whole.
    await appendBatch('once-kept');
    await project();
    const before = await snapshot();
    const last = await appendBatch('once-failed');

    await expect(project(failingAt(projection, last))).rejects.toThrow(/injected failure/);
    expect(await snapshot()).toEqual(before);

    // Once the fault is gone the same batch applies, in full and once.
    expect(await project()).toBe(smallBatches.batchSize);
    const recovered = await snapshot();
    expect(recovered.rows).not.toEqual(before.rows);
    expect(recovered.checkpoint).toEqual(last);
    await afterRecovery?.(last, 'once-failed');
  });
}
