import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  encodeToken,
  logStart,
  readCheckpoint,
  readCheckpointToken,
  type EventMetadata,
  type EventStore,
  type LogPosition,
} from '../event-store';
import { testEngine } from '../testing';
import { useTestDatabase } from '../testing-hooks';
import { retryPauseMs } from './engine';
import { catchUp, consumerBatches, readConsumerStatus, runConsumers, type ExternalConsumer } from './index';
import { applied as appliedIn, countingConsumer as counting, createApplicationsTable, note, type TestEvent } from './testing';

/**
 * The consumer engine on its own, with events of its own (`./testing.ts`): the engine is generic, so these
 * tests use neither the shop's domain nor its read models. Each test names its own consumers and its own
 * event keys, so no test depends on what another left in the file's database.
 */
const ctx = useTestDatabase(async ({ db }) => {
  await db.sql.query(createApplicationsTable);
});

const metadata: EventMetadata = { correlationId: 'engine-test', causationId: 'engine-test', actor: 'test', source: 'test' };
const silent = pino({ level: 'silent' });
const applied = (consumer: string, prefix: string) => appliedIn(ctx.db.orm, consumer, prefix);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const keys = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

const once = (...list: string[]) => Object.fromEntries(list.map((key) => [key, 1]));
const name = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;

describe('transactional consumers', () => {
  it('applies every event once and moves the checkpoint past the last one read', async () => {
    const consumer = counting(name('once'));
    const written = keys('a', 5);
    const last = await note(ctx.store, ...written);
    expect(await catchUp(ctx.source, consumer, { batchSize: 2 })).toBeGreaterThanOrEqual(5);
    expect(await applied(consumer.name, 'a-')).toEqual(once(...written));
    expect(await readCheckpointToken(ctx.db.orm, consumer.name)).toBe(encodeToken(last));

    expect(await catchUp(ctx.source, consumer, { batchSize: 2 })).toBe(0);
    expect(await applied(consumer.name, 'a-')).toEqual(once(...written));
  });

  it('rolls a batch back whole when it fails after writing, and applies it once on the retry', async () => {
    let refuse = false;
    const consumer = counting(name('rollback'), {
      // Fails after the batch's rows are written, before its checkpoint moves and its transaction commits.
      afterWrite: async () => {
        if (refuse) throw new Error('injected failure after the writes');
      },
    });
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    refuse = true;
    const before = { rows: await applied(consumer.name, 'b-'), checkpoint: await readCheckpoint(ctx.db.orm, consumer.name) };

    const written = keys('b', 3);
    const last = await note(ctx.store, ...written);
    await expect(consumerBatches(ctx.source, consumer, { batchSize: 1_000 }).next()).rejects.toThrow(/injected failure/);
    expect({ rows: await applied(consumer.name, 'b-'), checkpoint: await readCheckpoint(ctx.db.orm, consumer.name) }).toEqual(before);

    refuse = false;
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    expect(await applied(consumer.name, 'b-')).toEqual(once(...written));
    expect(await readCheckpoint(ctx.db.orm, consumer.name)).toEqual(last);
  });

  it('rolls the checkpoint back with the rows when the batch fails at its commit, after the checkpoint moved', async () => {
    let failCommit = false;
    const consumer = counting(name('commit'), {
      // A deferred foreign key is checked at COMMIT: the rows are written and the checkpoint has moved (in
      // this transaction, if the engine is right) when the commit fails. A checkpoint written on a connection
      // of its own would stay moved, and the batch would never be applied.
      afterWrite: async (tx) => {
        if (!failCommit) return;
        await tx.execute(
          sql`create temp table fails_at_commit (id int primary key, parent int references fails_at_commit (id) deferrable initially deferred) on commit drop`,
        );
        await tx.execute(sql`insert into fails_at_commit values (1, 2)`);
      },
    });
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    failCommit = true;
    const before = { rows: await applied(consumer.name, 'm-'), checkpoint: await readCheckpoint(ctx.db.orm, consumer.name) };

    const written = keys('m', 3);
    const last = await note(ctx.store, ...written);
    await expect(consumerBatches(ctx.source, consumer, { batchSize: 1_000 }).next()).rejects.toThrow(/foreign key/);
    expect({ rows: await applied(consumer.name, 'm-'), checkpoint: await readCheckpoint(ctx.db.orm, consumer.name) }).toEqual(before);

    failCommit = false;
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    expect(await applied(consumer.name, 'm-')).toEqual(once(...written));
    expect(await readCheckpoint(ctx.db.orm, consumer.name)).toEqual(last);
  });

  // PGlite lives inside one process: no second process can open it, so there is no process to kill.
  it.skipIf(testEngine === 'pglite')('loses nothing and applies nothing twice when its process is killed mid-batch', async () => {
    const consumer = counting(name('killed'));
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    const before = await readCheckpoint(ctx.db.orm, consumer.name);
    const written = keys('k', 4);
    const last = await note(ctx.store, ...written);

    // Another process applies the batch and is SIGKILLed after its writes, before its commit.
    const killed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'db/consumers/crash.fixture.ts', ctx.db.url!, consumer.name], {
      cwd: repoRoot,
    }).then(
      () => null,
      (error: { signal?: string }) => error.signal,
    );
    expect(killed).toBe('SIGKILL');
    expect(await applied(consumer.name, 'k-')).toEqual({});
    expect(await readCheckpoint(ctx.db.orm, consumer.name)).toEqual(before);

    // The next run applies the batch, once.
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    expect(await applied(consumer.name, 'k-')).toEqual(once(...written));
    expect(await readCheckpoint(ctx.db.orm, consumer.name)).toEqual(last);
  });

  it('applies each event once when several instances catch up at the same time', async () => {
    const consumer = counting(name('instances'));
    const written = keys('c', 12);
    const last = await note(ctx.store, ...written);
    await Promise.all([1, 2, 3].map(() => catchUp(ctx.source, consumer, { batchSize: 2 })));
    expect(await applied(consumer.name, 'c-')).toEqual(once(...written));
    expect(await readCheckpointToken(ctx.db.orm, consumer.name)).toBe(encodeToken(last));
  });

  it('reads again after a read-ahead fails, instead of repeating the failure', async () => {
    const consumer = counting(name('read_ahead'));
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    const written = keys('f', 5);
    await note(ctx.store, ...written);
    let reads = 0;
    // The second read is the one made ahead while the first full batch is applied.
    const flaky: EventStore = {
      ...ctx.store,
      readAll: (options) => (++reads === 2 ? Promise.reject(new Error('connection reset')) : ctx.store.readAll(options)),
    };
    const batches = consumerBatches({ orm: ctx.db.orm, store: flaky }, consumer, { batchSize: 2 });
    expect((await batches.next()).read).toBe(2);
    await expect(batches.next()).rejects.toThrow(/connection reset/);
    while ((await batches.next()).read > 0);
    expect(await applied(consumer.name, 'f-')).toEqual(once(...written));
  });

  // PGlite has one connection, so no transaction can be open while another commits: there is no gap there.
  it.skipIf(testEngine === 'pglite')('never skips an event whose transaction commits after later ones', async () => {
    const consumer = counting(name('gap'));
    await catchUp(ctx.source, consumer, { batchSize: 1_000 });
    // A transaction takes a lower position and stays open on a connection of its own, across a batch.
    const other = postgres(ctx.db.url!, { max: 1, onnotice: () => {} });
    const connection = await other.reserve();
    try {
      await connection`begin`;
      await connection`
        insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
        values (${randomUUID()}, 'note-g-early', 1, 'Noted', ${connection.json({ key: 'g-early' })}, ${connection.json(metadata)})`;
      const last = await note(ctx.store, 'g-late');

      const batches = consumerBatches(ctx.source, consumer, { batchSize: 1_000 });
      expect(await batches.next()).toEqual({ read: 0, heldBack: true });
      expect(await applied(consumer.name, 'g-')).toEqual({});

      await connection`commit`;
      await catchUp(ctx.source, consumer, { batchSize: 1_000 });
      expect(await applied(consumer.name, 'g-')).toEqual(once('g-early', 'g-late'));
      expect(await readCheckpoint(ctx.db.orm, consumer.name)).toEqual(last);
    } finally {
      connection.release();
      await other.end();
    }
  });
});

describe('external consumers', () => {
  /**
   * An outside system that acknowledges a write and dedupes it by event id, as Elasticsearch does by external
   * version or JetStream by message id: a repeat after a crash is absorbed.
   */
  function idempotentSink(consumerName: string, hooks: { failCheckpoint?: () => boolean } = {}) {
    const deliveries: string[] = [];
    const stored = new Set<string>();
    const consumer: ExternalConsumer<TestEvent, 'Noted'> = {
      kind: 'external',
      name: consumerName,
      handles: ['Noted'],
      async applyBatch(events) {
        for (const event of events) {
          deliveries.push(event.data.key);
          stored.add(event.eventId);
        }
        // The system has acknowledged; a crash now, before the checkpoint moves, repeats the batch.
        if (!hooks.failCheckpoint?.()) return;
        return {
          recordWithCheckpoint: async () => {
            throw new Error('crashed before the checkpoint moved');
          },
        };
      },
    };
    return { consumer, deliveries, stored };
  }

  it('moves the checkpoint only after the system acknowledged; a repeat after a crash is absorbed', async () => {
    let crash = false;
    const sink = idempotentSink(name('sink'), { failCheckpoint: () => crash });
    await catchUp(ctx.source, sink.consumer, { batchSize: 1_000 });
    const [delivered, stored] = [sink.deliveries.length, sink.stored.size];
    const before = await readCheckpoint(ctx.db.orm, sink.consumer.name);
    crash = true;
    const written = keys('e', 3);
    const last = await note(ctx.store, ...written);

    await expect(consumerBatches(ctx.source, sink.consumer, { batchSize: 1_000 }).next()).rejects.toThrow(/crashed/);
    expect(await readCheckpoint(ctx.db.orm, sink.consumer.name)).toEqual(before);

    crash = false;
    await catchUp(ctx.source, sink.consumer, { batchSize: 1_000 });
    expect(await readCheckpoint(ctx.db.orm, sink.consumer.name)).toEqual(last);
    // Each event came twice (before the crash and after it) and is stored once.
    expect(sink.deliveries.slice(delivered).sort()).toEqual([...written, ...written].sort());
    expect(sink.stored.size).toBe(stored + written.length);
  });
});

describe('runConsumers', () => {
  it('applies a backlog and then what arrives while it runs, each event once', async () => {
    const consumer = counting(name('live'));
    const backlog = keys('l', 7);
    await note(ctx.store, ...backlog);
    const controller = new AbortController();
    // Batches of 3: the backlog is applied in full batches, each read ahead while the one before is applied.
    const running = runConsumers(ctx.source, [consumer], { batchSize: 3, pollMs: 50, logger: silent, signal: controller.signal });
    try {
      const last = await note(ctx.store, 'l-live-1', 'l-live-2');
      await expect.poll(() => readCheckpointToken(ctx.db.orm, consumer.name), { timeout: 10_000 }).toBe(encodeToken(last));
      expect(await applied(consumer.name, 'l-')).toEqual(once(...backlog, 'l-live-1', 'l-live-2'));
    } finally {
      controller.abort();
      await running;
    }
  });

  it('runs two engines on the same consumer and applies each event once', async () => {
    const consumer = counting(name('two_engines'));
    const controller = new AbortController();
    const options = { batchSize: 2, pollMs: 20, logger: silent, signal: controller.signal };
    const engines = [runConsumers(ctx.source, [consumer], options), runConsumers(ctx.source, [consumer], options)];
    try {
      const written = keys('t', 10);
      let last: LogPosition = logStart;
      for (const key of written) last = await note(ctx.store, key);
      await expect.poll(() => readCheckpointToken(ctx.db.orm, consumer.name), { timeout: 10_000 }).toBe(encodeToken(last));
      expect(await applied(consumer.name, 't-')).toEqual(once(...written));
    } finally {
      controller.abort();
      await Promise.all(engines);
    }
  });

  it('retries a failing consumer with growing pauses, shows the error, and leaves the others alone', { timeout: 20_000 }, async () => {
    const attempts: number[] = [];
    const failing = counting(name('failing'), {
      beforeWrite: () => {
        attempts.push(performance.now());
        if (attempts.length <= 3) throw new Error(`handler refused (attempt ${attempts.length})`);
      },
    });
    const healthy = counting(name('healthy'));
    const controller = new AbortController();
    const running = runConsumers(ctx.source, [failing, healthy], { batchSize: 100, pollMs: 50, logger: silent, signal: controller.signal });
    try {
      const last = await note(ctx.store, 'h-1');
      // The healthy consumer is not held up by the failing one.
      await expect.poll(() => readCheckpointToken(ctx.db.orm, healthy.name), { timeout: 5_000 }).toBe(encodeToken(last));
      await expect.poll(() => attempts.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);

      const failingStatus = (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === failing.name);
      expect(failingStatus).toMatchObject({
        lastError: expect.stringMatching(/handler refused/),
        failingSince: expect.any(Date),
        behindEvents: expect.any(Number),
      });
      expect(failingStatus!.failedAttempts).toBeGreaterThanOrEqual(1);
      expect(failingStatus!.behindEvents).toBeGreaterThan(0);
      expect(failingStatus!.lagSeconds).toBeGreaterThan(0);

      // The fourth attempt succeeds: the consumer catches up, and its status says it recovered.
      await expect.poll(() => readCheckpointToken(ctx.db.orm, failing.name), { timeout: 10_000 }).toBe(encodeToken(last));
      // Each pause lasted at least the engine's growing one (0.5 s, 1 s, 2 s). A measured pause only ever lasts
      // longer, by however busy the machine is, so comparing two measured ones would compare the machine's load.
      const gaps = attempts.slice(1, 4).map((at, index) => at - attempts[index]!);
      for (const [index, gap] of gaps.entries()) expect(gap, `the pause after failure ${index + 1}`).toBeGreaterThanOrEqual(retryPauseMs(index + 1));
      // The engine clears the failure after the batch has committed (and moved the checkpoint): polled, not read once.
      await expect
        .poll(async () => (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === failing.name), { timeout: 5_000 })
        .toMatchObject({
          failingSince: null,
          failedAttempts: 0,
          behindEvents: 0,
          lagSeconds: 0,
          lastError: expect.stringMatching(/attempt 3/),
        });
      expect(await applied(failing.name, 'h-')).toEqual(once('h-1'));
    } finally {
      controller.abort();
      await running;
    }
  });

  it('refuses two consumers of one name: they would share a checkpoint', async () => {
    const controller = new AbortController();
    const twin = name('twin');
    await expect(
      runConsumers(ctx.source, [counting(twin), counting(twin)], { batchSize: 1, pollMs: 50, logger: silent, signal: controller.signal }),
    ).rejects.toThrow(/Two consumers are named/);
  });
});
