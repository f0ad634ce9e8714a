import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing-hooks';
import { bulkAppend, type BulkEvent, type EventMetadata } from './index';

const metadata: EventMetadata = { correlationId: 'c-1', causationId: 'k-1', actor: 'test', source: 'test' };
const newStream = () => `test-${randomUUID()}`;
const counted = (streamId: string, streamVersion: number, n: number): BulkEvent => ({
  streamId,
  streamVersion,
  type: 'Counted',
  schemaVersion: 1,
  data: { n },
  metadata,
});

const ctx = useTestDatabase();

describe('bulkAppend', () => {
  it('writes the events of many streams at their versions, in the order given, in one transaction', async () => {
    const [a, b] = [newStream(), newStream()];
    const other: EventMetadata = { ...metadata, actor: 'someone else' };
    await bulkAppend(ctx.db.sql, ctx.store.codec, [
      counted(a, 1, 1),
      counted(b, 1, 2),
      { streamId: a, streamVersion: 2, type: 'Renamed', schemaVersion: 2, data: { name: `it's "quoted"` }, metadata: other },
    ]);

    const [readA, readB] = [await ctx.store.readStream(a), await ctx.store.readStream(b)];
    expect(readA.map((e) => [e.streamVersion, e.type, e.schemaVersion, e.data, e.metadata])).toEqual([
      [1, 'Counted', 1, { n: 1 }, metadata],
      [2, 'Renamed', 2, { name: `it's "quoted"` }, other],
    ]);
    expect(readB.map((e) => [e.streamVersion, e.data])).toEqual([[1, { n: 2 }]]);
    const all = [readA[0]!, readB[0]!, readA[1]!];
    expect(all.map((e) => e.globalPosition)).toEqual([...all.map((e) => e.globalPosition)].sort((x, y) => x - y));
    expect(new Set(all.map((e) => e.transactionId)).size).toBe(1);
    expect(new Set(all.map((e) => e.eventId)).size).toBe(3);
  });

  it('writes nothing of a call when one of its versions is taken', async () => {
    const [taken, fresh] = [newStream(), newStream()];
    await bulkAppend(ctx.db.sql, ctx.store.codec, [counted(taken, 1, 1)]);

    await expect(bulkAppend(ctx.db.sql, ctx.store.codec, [counted(fresh, 1, 1), counted(taken, 1, 2)])).rejects.toThrow();
    expect(await ctx.store.readStream(fresh)).toEqual([]);
    expect((await ctx.store.readStream(taken)).map((e) => e.data)).toEqual([{ n: 1 }]);
  });

  it('leaves loaded streams where the command path continues them', async () => {
    const stream = newStream();
    await bulkAppend(ctx.db.sql, ctx.store.codec, [counted(stream, 1, 1), counted(stream, 2, 2)]);

    await ctx.store.append(stream, [{ type: 'Counted', data: { n: 3 } }], { expectedVersion: 2, metadata });
    expect((await ctx.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('refuses more events than one statement can carry, before sending anything', async () => {
    const stream = newStream();
    const events = Array.from({ length: 10_000 }, (_, i) => counted(stream, i + 1, i));
    await expect(bulkAppend(ctx.db.sql, ctx.store.codec, events)).rejects.toThrow(RangeError);
    await bulkAppend(ctx.db.sql, ctx.store.codec, []);
    expect(await ctx.store.readStream(stream)).toEqual([]);
  });
});
