import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing-hooks';
import type { EventMetadata } from './index';

const ctx = useTestDatabase();

const by = (correlationId: string, causationId = 'command'): EventMetadata => ({ correlationId, causationId, actor: 'test', source: 'test' });
const counted = (n: number) => ({ type: 'Counted', data: { n } });

describe('readCorrelated', () => {
  it("reads the streams' events and every event sharing their correlation ids, across streams, in log order", async () => {
    const [order, cart, process, elsewhere] = ['order', 'cart', 'process', 'elsewhere'].map((name) => `${name}-${randomUUID()}`) as [string, string, string, string];
    const [checkout, cancel, unrelated] = [randomUUID(), randomUUID(), randomUUID()];
    // The cart's first item, under a correlation id of its own: not part of the order's story.
    await ctx.store.append(cart, [counted(1)], { expectedVersion: 'any', metadata: by(unrelated) });
    await ctx.store.appendToStreams(
      [
        { streamId: cart, events: [counted(2)], expectedVersion: 'any' },
        { streamId: order, events: [counted(3)], expectedVersion: 'any' },
      ],
      { metadata: by(checkout) },
    );
    await ctx.store.append(process, [counted(4)], { expectedVersion: 'any', metadata: by(checkout, 'order-placed') });
    await ctx.store.append(elsewhere, [counted(5)], { expectedVersion: 'any', metadata: by(unrelated) });
    await ctx.store.append(order, [counted(6)], { expectedVersion: 'any', metadata: by(cancel) });
    await ctx.store.append(process, [counted(7)], { expectedVersion: 'any', metadata: by(cancel, 'order-cancelled') });

    const trace = await ctx.store.readCorrelated([order]);
    expect(trace.map((event) => [event.streamId, event.data, event.metadata.correlationId])).toEqual([
      [cart, { n: 2 }, checkout],
      [order, { n: 3 }, checkout],
      [process, { n: 4 }, checkout],
      [order, { n: 6 }, cancel],
      [process, { n: 7 }, cancel],
    ]);
    expect(trace[2]?.metadata.causationId).toBe('order-placed');
  });

  it('is empty for streams the log does not have', async () => {
    expect(await ctx.store.readCorrelated([`order-${randomUUID()}`])).toEqual([]);
  });
});
