import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../testing';
import { useTestDatabase } from '../testing-hooks';
import {
  ConcurrencyError,
  IdempotencyKeyReusedError,
  logStart,
  type EventMetadata,
  type LogPosition,
} from './index';

const metadata: EventMetadata = { correlationId: 'c-1', causationId: 'k-1', actor: 'test', source: 'test' };
const event = (n: number) => ({ type: 'Counted', data: { n } });
const newStream = () => `test-${randomUUID()}`;

const ctx = useTestDatabase();

/** The log's current end, so a test reads only what it appended itself. */
async function head(): Promise<LogPosition> {
  let at = logStart;
  for (;;) {
    const page = await ctx.store.readAll({ after: at, limit: 1000 });
    if (page.events.length === 0) return at;
    at = page.checkpoint;
  }
}

describe('append and readStream', () => {
  it('numbers a new stream from 1 and reads it back in order', async () => {
    const stream = newStream();
    const outcome = await ctx.store.append(stream, [event(1), event(2)], { expectedVersion: 'no_stream', metadata });
    expect(outcome.kind).toBe('appended');

    const read = await ctx.store.readStream(stream);
    expect(read.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
      [1, 'Counted', { n: 1 }],
      [2, 'Counted', { n: 2 }],
    ]);
    expect(read[0]?.metadata).toEqual(metadata);
    expect(read[0]?.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(read[1]!.globalPosition).toBeGreaterThan(read[0]!.globalPosition);
  });

  it('reads a version range', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3, 4].map(event), { expectedVersion: 'no_stream', metadata });
    const read = await ctx.store.readStream(stream, { from: 2, to: 3 });
    expect(read.map((e) => e.streamVersion)).toEqual([2, 3]);
  });

  it('appends at an exact expected version and with any', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });
    await ctx.store.append(stream, [event(2)], { expectedVersion: 1, metadata });
    await ctx.store.append(stream, [event(3)], { expectedVersion: 'any', metadata });
    expect((await ctx.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('refuses a wrong expected version with a ConcurrencyError and writes nothing', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });

    await expect(ctx.store.append(stream, [event(2)], { expectedVersion: 'no_stream', metadata })).rejects.toThrow(
      ConcurrencyError,
    );
    await expect(ctx.store.append(stream, [event(2)], { expectedVersion: 5, metadata })).rejects.toThrow(
      /expected version 5, found version 1/,
    );
    expect(await ctx.store.readStream(stream)).toHaveLength(1);
  });

  it('lets exactly one of two racing writers at the same version win', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });

    const results = await Promise.allSettled(
      [2, 3].map((n) => ctx.store.append(stream, [event(n)], { expectedVersion: 1, metadata })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected');
    expect(failure?.status === 'rejected' && failure.reason).toBeInstanceOf(ConcurrencyError);
    expect(await ctx.store.readStream(stream)).toHaveLength(2);
  });

  it('writes several streams atomically: one conflict writes none of them', async () => {
    const [a, b] = [newStream(), newStream()];
    await ctx.store.append(b, [event(1)], { expectedVersion: 'no_stream', metadata });

    await expect(
      ctx.store.appendToStreams(
        [
          { streamId: a, events: [event(1)], expectedVersion: 'no_stream' },
          { streamId: b, events: [event(2)], expectedVersion: 'no_stream' },
        ],
        { metadata },
      ),
    ).rejects.toThrow(ConcurrencyError);
    expect(await ctx.store.readStream(a)).toHaveLength(0);
  });

  it('refuses to update, delete or truncate events', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });
    const { sql } = ctx.db;
    await expect(sql.query(`update events set data = '{}' where stream_id = $1`, [stream])).rejects.toThrow(/append-only/);
    await expect(sql.query('delete from events where stream_id = $1', [stream])).rejects.toThrow(/append-only/);
    await expect(sql.query('truncate events')).rejects.toThrow(/append-only/);
  });
});

describe('idempotency', () => {
  const append = (stream: string, key: string, hash = 'request-a') =>
    ctx.store.append(stream, [event(1)], {
      expectedVersion: 'any',
      metadata,
      idempotency: { key, requestHash: hash, result: { answer: 42 } },
    });

  it('returns the first result for a repeated key and appends nothing', async () => {
    const [stream, key] = [newStream(), randomUUID()];
    const first = await append(stream, key);
    const second = await append(stream, key);

    expect(first.kind).toBe('appended');
    if (first.kind !== 'appended') return;
    expect(second).toEqual({ kind: 'duplicate', result: { answer: 42 }, last: first.appended.last });
    expect(await ctx.store.readStream(stream)).toHaveLength(1);
  });

  it('appends once when duplicates arrive at the same time', async () => {
    const [stream, key] = [newStream(), randomUUID()];
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => append(stream, key)));

    expect(outcomes.filter((o) => o.kind === 'appended')).toHaveLength(1);
    for (const outcome of outcomes) expect(outcome.result).toEqual(outcomes[0]?.result);
    expect(await ctx.store.readStream(stream)).toHaveLength(1);
  });

  it('refuses a key reused for a different request', async () => {
    const [stream, key] = [newStream(), randomUUID()];
    await append(stream, key, 'request-a');
    await expect(append(stream, key, 'request-b')).rejects.toThrow(IdempotencyKeyReusedError);
    expect(await ctx.store.readStream(stream)).toHaveLength(1);
  });

  it('records nothing when the expected version does not match, so the key stays free for the retry', async () => {
    const [stream, key] = [newStream(), randomUUID()];
    await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });
    const attempt = (expectedVersion: number) =>
      ctx.store.append(stream, [event(2)], {
        expectedVersion,
        metadata,
        idempotency: { key, requestHash: 'request-a', result: { attempt: expectedVersion } },
      });

    await expect(attempt(0)).rejects.toThrow(ConcurrencyError);
    expect(await ctx.store.findCommandResult(key)).toBeNull();
    const retried = await attempt(1);
    expect(retried.kind).toBe('appended');
    expect(await ctx.store.findCommandResult(key)).toMatchObject({ result: { attempt: 1 } });
    expect((await ctx.store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('records a command that appended nothing, and answers its duplicate without a position', async () => {
    const key = randomUUID();
    const options = { metadata, idempotency: { key, requestHash: 'request-a', result: { changed: false } } };
    const first = await ctx.store.appendToStreams([], options);
    expect(first).toEqual({ kind: 'appended', appended: { versions: {}, last: null }, result: { changed: false } });
    expect(await ctx.store.appendToStreams([], options)).toEqual({
      kind: 'duplicate',
      result: { changed: false },
      last: null,
    });
  });
});

describe('snapshots', () => {
  const stateVersion = 3;

  it('reads the whole stream while there is no snapshot', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3].map(event), { expectedVersion: 'no_stream', metadata });
    const read = await ctx.store.readStreamFromSnapshot(stream, stateVersion);
    expect(read.snapshot).toBeNull();
    expect(read.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(read.events).toEqual(await ctx.store.readStream(stream));
  });

  it('reads the snapshot and only the events after it', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3, 4].map(event), { expectedVersion: 'no_stream', metadata });
    await ctx.store.saveSnapshot(stream, stateVersion, { version: 3, state: { total: 6 } });

    const read = await ctx.store.readStreamFromSnapshot(stream, stateVersion);
    expect(read.snapshot).toEqual({ version: 3, state: { total: 6 } });
    expect(read.events.map((e) => e.data)).toEqual([{ n: 4 }]);

    await ctx.store.saveSnapshot(stream, stateVersion, { version: 4, state: { total: 10 } });
    const atEnd = await ctx.store.readStreamFromSnapshot(stream, stateVersion);
    expect(atEnd).toEqual({ snapshot: { version: 4, state: { total: 10 } }, events: [] });
  });

  it('ignores a snapshot of another state version, and lets it be replaced', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [1, 2].map(event), { expectedVersion: 'no_stream', metadata });
    await ctx.store.saveSnapshot(stream, stateVersion - 1, { version: 2, state: { old: true } });

    const read = await ctx.store.readStreamFromSnapshot(stream, stateVersion);
    expect(read.snapshot).toBeNull();
    expect(read.events).toHaveLength(2);

    await ctx.store.saveSnapshot(stream, stateVersion, { version: 1, state: { total: 1 } });
    expect((await ctx.store.readStreamFromSnapshot(stream, stateVersion)).snapshot).toEqual({
      version: 1,
      state: { total: 1 },
    });
  });

  it('never replaces a snapshot with an older one', async () => {
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3].map(event), { expectedVersion: 'no_stream', metadata });
    await ctx.store.saveSnapshot(stream, stateVersion, { version: 3, state: { total: 6 } });
    await ctx.store.saveSnapshot(stream, stateVersion, { version: 2, state: { total: 3 } });
    expect((await ctx.store.readStreamFromSnapshot(stream, stateVersion)).snapshot).toEqual({
      version: 3,
      state: { total: 6 },
    });
  });
});

describe('readAll', () => {
  it('pages through the log after a checkpoint', async () => {
    const start = await head();
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3, 4, 5].map(event), { expectedVersion: 'no_stream', metadata });

    const first = await ctx.store.readAll({ after: start, limit: 3 });
    const second = await ctx.store.readAll({ after: first.checkpoint, limit: 3 });
    const third = await ctx.store.readAll({ after: second.checkpoint, limit: 3 });

    expect([...first.events, ...second.events].map((e) => e.data)).toEqual([1, 2, 3, 4, 5].map((n) => ({ n })));
    expect(third.events).toEqual([]);
    expect(third.checkpoint).toEqual(second.checkpoint);
  });

  it('delivers only the types asked for, and reads past the others', async () => {
    const start = await head();
    const stream = newStream();
    const typed = (type: string, n: number) => ({ type, data: { n } });
    await ctx.store.append(stream, [typed('Wanted', 1), typed('Other', 2), typed('Other', 3), typed('Wanted', 4)], {
      expectedVersion: 'no_stream',
      metadata,
    });
    const all = (await ctx.store.readAll({ after: start, limit: 4 })).events;

    const first = await ctx.store.readAll({ after: start, limit: 3, types: ['Wanted'] });
    // Three events read; one delivered, whole; the checkpoint is the last event read, not the last delivered.
    expect(first.read).toBe(3);
    expect(first.events).toEqual([all[0]]);
    expect(first.checkpoint).toEqual({ transactionId: all[2]!.transactionId, position: all[2]!.globalPosition });

    const second = await ctx.store.readAll({ after: first.checkpoint, limit: 3, types: new Set(['Wanted']) });
    expect(second.read).toBe(1);
    expect(second.events).toEqual([all[3]]);

    // Nothing of the types asked for: still read past, so a reader moves on rather than reading it again.
    const none = await ctx.store.readAll({ after: start, limit: 4, types: ['Missing'] });
    expect(none).toMatchObject({ read: 4, events: [], checkpoint: second.checkpoint });
  });

  it("starts after a projection's stored checkpoint when asked to", async () => {
    const start = await head();
    const stream = newStream();
    await ctx.store.append(stream, [1, 2, 3].map(event), { expectedVersion: 'no_stream', metadata });
    const [, second] = (await ctx.store.readAll({ after: start, limit: 2 })).events;
    const projection = `test-${randomUUID()}`;

    const never = await ctx.store.readAll({ after: { checkpointOf: projection }, limit: 1 });
    expect(never.from).toEqual(logStart);

    await ctx.db.sql.query(
      'insert into consumer_checkpoints (consumer, transaction_id, position) values ($1, $2::text::xid8, $3)',
      [projection, String(second!.transactionId), second!.globalPosition],
    );
    const page = await ctx.store.readAll({ after: { checkpointOf: projection }, limit: 100 });
    expect(page.from).toEqual({ transactionId: second!.transactionId, position: second!.globalPosition });
    expect(page.events.map((e) => e.data)).toEqual([{ n: 3 }]);
  });

  // PGlite has one connection, so no transaction can be open while another commits: there is no gap there.
  it.skipIf(testEngine === 'pglite')('waits for a lower position that commits late, then delivers both in order', async () => {
    const start = await head();
    const [early, late] = [newStream(), newStream()];

    // Transaction A takes the lower position and stays open, on a connection of its own.
    const other = postgres(ctx.db.url!, { max: 1, onnotice: () => {} });
    const connection = await other.reserve();
    await connection`begin`;
    await connection`
      insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
      values (${randomUUID()}, ${early}, 1, 'Counted', ${connection.json({ n: 1 })}, ${connection.json(metadata)})`;

    // Transaction B takes a higher position and commits first.
    await ctx.store.append(late, [event(2)], { expectedVersion: 'no_stream', metadata });
    // B is committed: any plain query sees it.
    expect(await ctx.db.sql.query('select 1 from events where stream_id = $1', [late])).toHaveLength(1);

    // Yet a reader that took B now would checkpoint past A's position and lose A forever: it must wait.
    const whileOpen = await ctx.store.readAll({ after: start, limit: 100 });
    expect(whileOpen.events).toEqual([]);
    expect(whileOpen.checkpoint).toEqual(start);
    // …and it is told that committed events are waiting, so it looks again soon rather than at its next poll.
    expect(whileOpen.heldBack).toBe(true);

    await connection`commit`;
    connection.release();
    await other.end();

    const afterCommit = await ctx.store.readAll({ after: start, limit: 100 });
    expect(afterCommit.events.map((e) => e.streamId)).toEqual([early, late]);
    const [a, b] = afterCommit.events;
    expect(a!.globalPosition).toBeLessThan(b!.globalPosition);
  });
});

describe('the readers\' horizon', () => {
  /** A connection of its own with a transaction left open, as another process's would be. */
  async function openTransaction() {
    const other = postgres(ctx.db.url!, { max: 1, onnotice: () => {} });
    const connection = await other.reserve();
    await connection`begin`;
    return {
      connection,
      async end(outcome: 'commit' | 'rollback') {
        await connection.unsafe(outcome);
        connection.release();
        await other.end();
      },
    };
  }

  it.skipIf(testEngine === 'pglite')('is not held back by a running transaction that writes only elsewhere (a read model\'s batch)', async () => {
    const start = await head();
    const open = await openTransaction();
    try {
      // It has a transaction id now, lower than the append's below: the plain oldest-running horizon would wait for it.
      await open.connection`insert into consumer_checkpoints (consumer, transaction_id, position) values (${`test-${randomUUID()}`}, '0'::xid8, 0)`;
      const stream = newStream();
      await ctx.store.append(stream, [event(1)], { expectedVersion: 'no_stream', metadata });
      const page = await ctx.store.readAll({ after: start, limit: 100 });
      expect(page.events.map((e) => e.streamId)).toEqual([stream]);
      expect(page.heldBack).toBe(false);
    } finally {
      await open.end('rollback');
    }
  });

  it.skipIf(testEngine === 'pglite')('refuses an append after another write in the same transaction, which readers could not see coming', async () => {
    const open = await openTransaction();
    try {
      await open.connection`insert into consumer_checkpoints (consumer, transaction_id, position) values (${`test-${randomUUID()}`}, '0'::xid8, 0)`;
      await expect(
        open.connection`
          insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
          values (${randomUUID()}, ${newStream()}, 1, 'Counted', ${open.connection.json({ n: 1 })}, ${open.connection.json(metadata)})`,
      ).rejects.toThrow(/an append must be the first write of its transaction/);
    } finally {
      await open.end('rollback');
    }
  });

  it.skipIf(testEngine === 'pglite')('is held back by a transaction that appended and then wrote elsewhere, until it ends', async () => {
    const start = await head();
    const open = await openTransaction();
    const early = newStream();
    try {
      await open.connection`
        insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
        values (${randomUUID()}, ${early}, 1, 'Counted', ${open.connection.json({ n: 1 })}, ${open.connection.json(metadata)})`;
      // Writing elsewhere afterwards is allowed, and changes nothing: it still holds the table for writing.
      await open.connection`insert into consumer_checkpoints (consumer, transaction_id, position) values (${`test-${randomUUID()}`}, '0'::xid8, 0)`;
      await open.connection`
        insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
        values (${randomUUID()}, ${early}, 2, 'Counted', ${open.connection.json({ n: 2 })}, ${open.connection.json(metadata)})`;
      const late = newStream();
      await ctx.store.append(late, [event(3)], { expectedVersion: 'no_stream', metadata });
      const whileOpen = await ctx.store.readAll({ after: start, limit: 100 });
      expect(whileOpen.events).toEqual([]);
      expect(whileOpen.heldBack).toBe(true);
      await open.end('commit');
      const after = await ctx.store.readAll({ after: start, limit: 100 });
      expect(after.events.map((e) => e.streamId)).toEqual([early, early, late]);
    } catch (error) {
      await open.end('rollback').catch(() => {});
      throw error;
    }
  });

  it('lets a transaction append several times, and write elsewhere after its first append', async () => {
    const stream = newStream();
    await ctx.db.sql.transaction(async (tx) => {
      await tx.query(
        `insert into events (event_id, stream_id, stream_version, event_type, data, metadata) values ($1, $2, 1, 'Counted', '{"n":1}', $3::text::jsonb)`,
        [randomUUID(), stream, JSON.stringify(metadata)],
      );
      await tx.query(`insert into consumer_checkpoints (consumer, transaction_id, position) values ($1, '0'::xid8, 0)`, [`test-${randomUUID()}`]);
      await tx.query(
        `insert into events (event_id, stream_id, stream_version, event_type, data, metadata) values ($1, $2, 2, 'Counted', '{"n":2}', $3::text::jsonb)`,
        [randomUUID(), stream, JSON.stringify(metadata)],
      );
    });
    expect((await ctx.store.readStream(stream)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});

describe('onAppend', () => {
  it('is woken by a committed append', async () => {
    let woken = 0;
    const subscription = await ctx.store.onAppend(() => woken++);
    try {
      await ctx.store.append(newStream(), [event(1)], { expectedVersion: 'no_stream', metadata });
      await expect.poll(() => woken).toBeGreaterThan(0);
    } finally {
      await subscription.stop();
    }
  });
});
