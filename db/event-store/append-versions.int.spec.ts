import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { postgresJsClient, type SqlClient } from '../sql';
import { testEngine } from '../testing';
import { useTestDatabase } from '../testing-hooks';
import { appendToStreams } from './append';
import { ConcurrencyError, type EventMetadata, type StreamAppend } from './index';

/**
 * Appends at known versions put every expected version in as a parameter, so the statement's text depends
 * only on the append's shape (db/event-store/append.ts). These tests hold the guarantees that design must
 * keep: each event lands at its version, a stream shorter than expected is refused (the one case the unique
 * (stream_id, stream_version) constraint cannot catch), and one shape is one statement whatever the versions.
 */
const metadata: EventMetadata = { correlationId: 'c-1', causationId: 'k-1', actor: 'test', source: 'test' };
const event = (n: number) => ({ type: 'Counted', data: { n } });
const newStream = () => `test-${randomUUID()}`;

const ctx = useTestDatabase();

/** A stream of `length` events, appended one at a time at their known versions. */
async function streamOf(length: number): Promise<string> {
  const stream = newStream();
  for (let version = 0; version < length; version++) {
    await ctx.store.append(stream, [event(version + 1)], { expectedVersion: version === 0 ? 'no_stream' : version, metadata });
  }
  return stream;
}

const versionsOf = async (stream: string) => (await ctx.store.readStream(stream)).map((e) => [e.streamVersion, (e.data as { n: number }).n]);

/** The event store's SQL client, recording the text of every statement it is sent. */
function recording(sql: SqlClient): { client: SqlClient; texts: string[] } {
  const texts: string[] = [];
  return {
    client: { ...sql, query: (text, params) => (texts.push(text), sql.query(text, params)) },
    texts,
  };
}

describe('appends at known versions', () => {
  it('puts each event at its expected version plus its place, across versions and streams', async () => {
    const [a, b] = [await streamOf(3), await streamOf(7)];
    await ctx.store.appendToStreams(
      [
        { streamId: a, events: [event(4), event(5)], expectedVersion: 3 },
        { streamId: b, events: [event(8)], expectedVersion: 7 },
      ],
      { metadata },
    );
    await ctx.store.append(a, [event(6)], { expectedVersion: 5, metadata, idempotency: { key: randomUUID(), requestHash: 'h', result: null } });

    expect(await versionsOf(a)).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, n]));
    expect(await versionsOf(b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, n]));
  });

  it('refuses an append at expected version N to a stream of N - 1 events, and writes nothing', async () => {
    const stream = await streamOf(4);

    await expect(ctx.store.append(stream, [event(6)], { expectedVersion: 5, metadata })).rejects.toThrow(
      /expected version 5, found version 4/,
    );
    await expect(ctx.store.append(stream, [event(6), event(7)], { expectedVersion: 5, metadata })).rejects.toThrow(ConcurrencyError);
    expect(await versionsOf(stream)).toEqual([1, 2, 3, 4].map((n) => [n, n]));
    // The version it does have is still accepted.
    await ctx.store.append(stream, [event(5)], { expectedVersion: 4, metadata });
    expect(await versionsOf(stream)).toHaveLength(5);
  });

  it('refuses a shorter stream with an idempotency key too, and leaves the key unrecorded', async () => {
    const stream = await streamOf(2);
    const key = randomUUID();

    await expect(
      ctx.store.append(stream, [event(4)], { expectedVersion: 3, metadata, idempotency: { key, requestHash: 'h', result: 1 } }),
    ).rejects.toThrow(/expected version 3, found version 2/);
    expect(await ctx.store.findCommandResult(key)).toBeNull();
    expect(await versionsOf(stream)).toHaveLength(2);
  });

  it('refuses the whole append when one of its streams is shorter than expected', async () => {
    const [a, b, c] = [await streamOf(2), await streamOf(5), newStream()];

    await expect(
      ctx.store.appendToStreams(
        [
          { streamId: a, events: [event(3)], expectedVersion: 2 },
          { streamId: b, events: [event(7)], expectedVersion: 6 },
          { streamId: c, events: [event(1)], expectedVersion: 'no_stream' },
        ],
        { metadata },
      ),
    ).rejects.toThrow(new RegExp(`Stream ${b} .*expected version 6, found version 5`));
    expect(await versionsOf(a)).toHaveLength(2);
    expect(await versionsOf(b)).toHaveLength(5);
    expect(await versionsOf(c)).toHaveLength(0);
  });

  it('sends one statement text for one shape, whatever the versions', async () => {
    const { client, texts } = recording(ctx.db.sql);
    const [a, b] = [await streamOf(1), await streamOf(1)];
    const appendAt = (writes: StreamAppend[], key?: string) =>
      appendToStreams(client, writes, { metadata, ...(key ? { idempotency: { key, requestHash: 'h', result: null } } : {}) });

    for (let version = 1; version <= 4; version++) await appendAt([{ streamId: a, events: [event(version + 1)], expectedVersion: version }]);
    expect(new Set(texts).size).toBe(1);

    texts.length = 0;
    for (let version = 5; version <= 8; version++) await appendAt([{ streamId: a, events: [event(version + 1)], expectedVersion: version }], randomUUID());
    expect(new Set(texts).size).toBe(1);

    texts.length = 0;
    for (let version = 1; version <= 3; version++) {
      await appendAt([
        { streamId: a, events: [event(0), event(0)], expectedVersion: 7 + version * 2 },
        { streamId: b, events: [event(0), event(0)], expectedVersion: version * 2 - 1 },
      ]);
    }
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).not.toMatch(/stream_version = \d/);
  });

  it.skipIf(testEngine === 'pglite')('keeps a connection\'s prepared statements as they are while a stream grows', async () => {
    // One connection, so pg_prepared_statements is the very session that appended.
    const sql = postgres(ctx.db.url!, { max: 1, onnotice: () => {} });
    const client = postgresJsClient(sql);
    const prepared = async () => (await client.query<{ count: number }>('select count(*)::int as count from pg_prepared_statements'))[0]!.count;
    try {
      const stream = newStream();
      await appendToStreams(client, [{ streamId: stream, events: [event(1)], expectedVersion: 'no_stream' }], { metadata });
      let version = 1;
      const more = async (count: number) => {
        for (const end = version + count; version < end; version++) {
          await appendToStreams(client, [{ streamId: stream, events: [event(version + 1)], expectedVersion: version }], { metadata });
        }
      };
      await more(3);
      const before = await prepared();
      await more(30);
      expect(await prepared()).toBe(before);
    } finally {
      await sql.end();
    }
  });
});

describe('appends that read versions first (some stream at any, or a write without events)', () => {
  it('checks a numeric expected version beside an any', async () => {
    const [a, b] = [await streamOf(3), await streamOf(2)];
    const attempt = (expectedVersion: number) =>
      ctx.store.appendToStreams(
        [
          { streamId: a, events: [event(4)], expectedVersion },
          { streamId: b, events: [event(3)], expectedVersion: 'any' },
        ],
        { metadata },
      );

    await expect(attempt(4)).rejects.toThrow(/expected version 4, found version 3/);
    await expect(attempt(2)).rejects.toThrow(/expected version 2, found version 3/);
    expect(await versionsOf(a)).toHaveLength(3);
    expect(await versionsOf(b)).toHaveLength(2);

    const outcome = await attempt(3);
    expect(outcome.kind === 'appended' && outcome.appended.versions).toEqual({ [a]: 4, [b]: 3 });
    expect(await versionsOf(a)).toEqual([1, 2, 3, 4].map((n) => [n, n]));
    expect(await versionsOf(b)).toEqual([1, 2, 3].map((n) => [n, n]));
  });

  it('checks the expected version of a write without events', async () => {
    const [a, b] = [await streamOf(2), await streamOf(1)];
    const attempt = (expectedVersion: number) =>
      ctx.store.appendToStreams(
        [
          { streamId: a, events: [], expectedVersion },
          { streamId: b, events: [event(2)], expectedVersion: 1 },
        ],
        { metadata },
      );

    await expect(attempt(3)).rejects.toThrow(/expected version 3, found version 2/);
    expect(await versionsOf(b)).toHaveLength(1);
    await attempt(2);
    expect(await versionsOf(b)).toEqual([1, 2].map((n) => [n, n]));
  });
});
