import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { recordConsumerFailure, recordConsumerRecovery } from '../event-store';
import { consumerCheckpoints, consumerLagSamples } from '../schema/event-store';
import { useTestDatabase } from '../testing-hooks';
import { catchUp, readConsumerStatus, readLagHistory, recordLagSamples, runConsumers } from './index';
import { createApplicationsTable, countingConsumer, note } from './testing';

/**
 * The lag samples behind the status page's chart and throughput, and the failure record beside them. Each test
 * names its own consumer; samples placed in the past are written as rows, since waiting an hour is no test.
 */
const ctx = useTestDatabase(async ({ db }) => {
  await db.sql.query(createApplicationsTable);
});

const silent = pino({ level: 'silent' });
const name = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;
/** Buckets a day wide: two samples taken a moment apart fall in one bucket. */
const daily = { everyMs: 86_400_000, keepMs: 2 * 86_400_000 };

const samplesOf = (consumer: string) =>
  ctx.db.orm.select().from(consumerLagSamples).where(eq(consumerLagSamples.consumer, consumer)).orderBy(consumerLagSamples.bucket);
const statusOf = async (consumer: string) => (await readConsumerStatus(ctx.db.orm)).find((status) => status.consumer === consumer);

/** A sample as one taken `secondsAgo`, with the consumer's read count then. */
async function sampledBefore(consumer: string, secondsAgo: number, values: { eventsRead: number; behindEvents?: number; lagSeconds?: number }) {
  const at = sql`now() - make_interval(secs => ${secondsAgo})`;
  await ctx.db.orm.insert(consumerLagSamples).values({
    consumer,
    bucket: at,
    sampledAt: at,
    eventsRead: values.eventsRead,
    behindEvents: values.behindEvents ?? 0,
    lagSeconds: values.lagSeconds ?? 0,
  });
}

describe('lag samples', () => {
  it('samples a consumer once per bucket, with the events it has read and its lag', async () => {
    const consumer = countingConsumer(name('sampled'));
    await note(ctx.store, 's-1', 's-2', 's-3');
    await catchUp(ctx.source, consumer, { batchSize: 2 });
    const { eventsRead } = (await samplesOfRecorded(consumer.name))[0]!;
    expect(eventsRead).toBeGreaterThanOrEqual(3);

    await note(ctx.store, 's-4');
    await recordLagSamples(ctx.db.orm, [consumer.name], daily);
    // Same bucket: the first sample stands, however often (and by however many instances) it is taken.
    expect(await samplesOf(consumer.name)).toHaveLength(1);
    expect(await samplesOf(consumer.name)).toMatchObject([{ eventsRead, behindEvents: 0 }]);
  });

  it('samples a consumer that is behind with its backlog, in events and seconds', async () => {
    const consumer = countingConsumer(name('behind'));
    await catchUp(ctx.source, consumer, { batchSize: 100 });
    await note(ctx.store, 'b-1', 'b-2');
    const [sample] = await samplesOfRecorded(consumer.name);
    expect(sample!.behindEvents).toBeGreaterThanOrEqual(2);
    expect(sample!.lagSeconds).toBeGreaterThan(0);
  });

  it('prunes samples older than the window as it samples', async () => {
    const consumer = countingConsumer(name('pruned'));
    await catchUp(ctx.source, consumer, { batchSize: 100 });
    await sampledBefore(consumer.name, 2 * 3_600, { eventsRead: 0 });
    await sampledBefore(consumer.name, 30 * 60, { eventsRead: 0 });
    await recordLagSamples(ctx.db.orm, [consumer.name], { everyMs: 10_000, keepMs: 3_600_000 });
    const buckets = (await samplesOf(consumer.name)).map((sample) => Date.now() - sample.bucket.getTime());
    expect(buckets).toHaveLength(2);
    expect(Math.max(...buckets)).toBeLessThan(3_600_000);
  });

  it('measures throughput from the read count: the events read since the sample a minute ago, per second', async () => {
    const consumer = countingConsumer(name('throughput'));
    expect((await statusOf(consumer.name))?.eventsPerSecond ?? null).toBeNull();
    await note(ctx.store, 't-1');
    await catchUp(ctx.source, consumer, { batchSize: 100 });
    const read = (await statusOf(consumer.name))!;
    expect(read.eventsPerSecond).toBeNull();

    const [checkpoint] = await ctx.db.orm
      .select({ eventsRead: consumerCheckpoints.eventsRead })
      .from(consumerCheckpoints)
      .where(eq(consumerCheckpoints.consumer, consumer.name));
    // 90 s ago it had read 180 fewer; 65 s ago, 130 fewer: the newest sample a minute old is the one measured from.
    await sampledBefore(consumer.name, 90, { eventsRead: checkpoint!.eventsRead - 180 });
    await sampledBefore(consumer.name, 65, { eventsRead: checkpoint!.eventsRead - 130 });
    await sampledBefore(consumer.name, 20, { eventsRead: checkpoint!.eventsRead - 20 });
    const { eventsPerSecond } = (await statusOf(consumer.name))!;
    expect(eventsPerSecond).toBeCloseTo(2, 1);
  });

  it('charts an hour in steps, keeping the worst lag of each and the throughput between them', async () => {
    const consumer = name('history');
    await sampledBefore(consumer, 150, { eventsRead: 100, behindEvents: 4, lagSeconds: 0.5 });
    await sampledBefore(consumer, 140, { eventsRead: 110, behindEvents: 40, lagSeconds: 3 });
    await sampledBefore(consumer, 80, { eventsRead: 220, behindEvents: 1, lagSeconds: 0.1 });
    await sampledBefore(consumer, 2 * 3_600, { eventsRead: 0, behindEvents: 999, lagSeconds: 99 });

    // Steps a day wide: one holds all three (the two-hour-old sample is outside the window), with their worst lag.
    const [history] = await readLagHistory(ctx.db.orm, { consumer, stepMs: 86_400_000, windowMs: 3_600_000 });
    expect(history?.consumer).toBe(consumer);
    expect(history!.points).toHaveLength(1);
    expect(history!.points[0]).toMatchObject({ behindEvents: 40, lagSeconds: 3, eventsPerSecond: null });

    const fine = await readLagHistory(ctx.db.orm, { consumer, stepMs: 10_000, windowMs: 3_600_000 });
    const points = fine[0]!.points;
    expect(points.map((point) => point.behindEvents)).toEqual([4, 40, 1]);
    expect(points.map((point) => point.eventsPerSecond)).toEqual([null, expect.closeTo(1, 1), expect.closeTo(110 / 60, 1)]);
    expect(points[1]!.at.getTime()).toBeGreaterThan(points[0]!.at.getTime());
  });

  it('is sampled by the running engine, for the consumers it runs', { timeout: 15_000 }, async () => {
    const consumer = countingConsumer(name('engine'));
    const controller = new AbortController();
    const running = runConsumers(ctx.source, [consumer], {
      batchSize: 100,
      pollMs: 50,
      logger: silent,
      signal: controller.signal,
      samples: { everyMs: 200 },
    });
    try {
      await expect.poll(async () => (await samplesOf(consumer.name)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      controller.abort();
      await running;
    }
  });
});

describe('failures', () => {
  it('keeps the first failure of a run and counts the attempts, until a batch succeeds', async () => {
    const consumer = countingConsumer(name('failing'));
    await catchUp(ctx.source, consumer, { batchSize: 100 });
    await recordConsumerFailure(ctx.db.orm, consumer.name, 'Error: first');
    const first = (await statusOf(consumer.name))!;
    await recordConsumerFailure(ctx.db.orm, consumer.name, 'Error: second');
    await recordConsumerFailure(ctx.db.orm, consumer.name, 'Error: third');
    const failing = (await statusOf(consumer.name))!;
    expect(failing).toMatchObject({ failingSince: first.failingSince, failedAttempts: 3, lastError: 'Error: third' });
    expect(failing.lastErrorAt!.getTime()).toBeGreaterThanOrEqual(first.failingSince!.getTime());

    await recordConsumerRecovery(ctx.db.orm, consumer.name);
    expect(await statusOf(consumer.name)).toMatchObject({ failingSince: null, failedAttempts: 0, lastError: 'Error: third' });
  });
});

/** Takes a sample now, in a bucket a day wide, and returns the consumer's samples. */
async function samplesOfRecorded(consumer: string) {
  await recordLagSamples(ctx.db.orm, [consumer], daily);
  return samplesOf(consumer);
}
