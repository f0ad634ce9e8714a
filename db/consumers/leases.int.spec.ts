import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ensureCheckpoint } from '../event-store';
import { useTestDatabase } from '../testing-hooks';
import { readConsumerStatus, runConsumers, type Consumer } from './index';
import { claimLeases, ensureLeases, pauseConsumer, releaseLeases, resumeConsumer } from './leases';
import { applied as appliedIn, countingConsumer, createApplicationsTable, note } from './testing';

/** Leases and pauses against the real server: the statements alone, then engines that share consumers by them. */
const ctx = useTestDatabase(async ({ db }) => {
  await db.sql.query(createApplicationsTable);
});

const silent = pino({ level: 'silent' });
const name = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;
const applied = (consumer: string, prefix: string) => appliedIn(ctx.db.orm, consumer, prefix);
/** Short timings, so an expiry takes a fraction of a second. */
const fast = { ttlMs: 1_500, heartbeatMs: 100 };

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}

const statusOf = async (consumer: string) => (await readConsumerStatus(ctx.db.orm)).find((row) => row.consumer === consumer);

function engine(consumers: readonly Consumer[], instanceId: string) {
  const controller = new AbortController();
  const done = runConsumers(ctx.source, consumers, {
    batchSize: 100,
    pollMs: 50,
    logger: silent,
    signal: controller.signal,
    lease: { ...fast, instanceId },
  });
  return { stop: () => (controller.abort(), done) };
}

describe('lease statements', () => {
  it('are held by one instance, renewed by it, taken once expired, and released at once', async () => {
    const consumer = name('lease');
    await ensureLeases(ctx.db.orm, [consumer]);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 300)).toEqual([consumer]);
    expect(await claimLeases(ctx.db.orm, 'b', [consumer], 300)).toEqual([]);
    // The holder renews while it is live.
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 300)).toEqual([consumer]);
    await sleep(400);
    // Expired by the database's clock: another instance takes it, and the old holder can no longer renew it.
    expect(await claimLeases(ctx.db.orm, 'b', [consumer], 300)).toEqual([consumer]);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 300)).toEqual([]);
    // A release by a former holder leaves the new one's lease alone.
    await releaseLeases(ctx.db.orm, 'a', [consumer]);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 60_000)).toEqual([]);
    // Released by its holder, it is free at once, long before its TTL.
    await releaseLeases(ctx.db.orm, 'b', [consumer]);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 60_000)).toEqual([consumer]);
  });

  it('are never claimed while paused, and are claimed again once resumed', async () => {
    const consumer = name('paused');
    await ensureCheckpoint(ctx.db.orm, consumer);
    expect(await pauseConsumer(ctx.db.orm, consumer, 'staff:test')).toBe(true);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 60_000)).toEqual([]);
    expect(await statusOf(consumer)).toMatchObject({ pausedBy: 'staff:test', holder: null });
    expect(await resumeConsumer(ctx.db.orm, consumer)).toBe(true);
    expect(await resumeConsumer(ctx.db.orm, consumer)).toBe(false);
    expect(await claimLeases(ctx.db.orm, 'a', [consumer], 60_000)).toEqual([consumer]);
    expect(await statusOf(consumer)).toMatchObject({ pausedAt: null, holder: 'a' });
    expect(await pauseConsumer(ctx.db.orm, name('unknown'), 'staff:test')).toBe(false);
  });
});

describe('engines sharing consumers by lease', () => {
  it('runs a consumer in one instance only; a graceful stop hands it over before a TTL', { timeout: 20_000 }, async () => {
    const consumer = countingConsumer(name('shared'));
    const first = engine([consumer], name('first'));
    await until(async () => (await statusOf(consumer.name))?.holder?.startsWith('first') ?? false, 'the first engine holds the lease');
    const second = engine([consumer], name('second'));
    await note(ctx.store, 'shared-1', 'shared-2');
    await until(async () => Object.keys(await applied(consumer.name, 'shared-')).length === 2, 'both events are applied');
    expect((await statusOf(consumer.name))?.holder).toMatch(/^first/);
    // A graceful stop releases the lease: the second engine takes it at its next heartbeat, not after a TTL.
    const stoppedAt = Date.now();
    await first.stop();
    await until(async () => (await statusOf(consumer.name))?.holder?.startsWith('second') ?? false, 'the second engine takes over');
    expect(Date.now() - stoppedAt).toBeLessThan(fast.ttlMs);
    await note(ctx.store, 'shared-3');
    await until(async () => Object.keys(await applied(consumer.name, 'shared-')).length === 3, 'the second engine applies');
    await second.stop();
    expect(await applied(consumer.name, 'shared-')).toEqual({ 'shared-1': 1, 'shared-2': 1, 'shared-3': 1 });
    expect((await statusOf(consumer.name))?.holder).toBeNull();
  });

  it('splits the consumers between instances instead of one taking them all', { timeout: 20_000 }, async () => {
    const consumers = Array.from({ length: 4 }, (_, i) => countingConsumer(name(`fair${i}`)));
    const instances = [name('left'), name('right')];
    const engines = instances.map((id) => engine(consumers, id));
    const holders = async () => Promise.all(consumers.map(async (consumer) => (await statusOf(consumer.name))?.holder ?? null));
    await until(async () => {
      const now = await holders();
      return instances.every((id) => now.filter((holder) => holder === id).length === 2);
    }, 'each instance holds two consumers');
    await Promise.all(engines.map((running) => running.stop()));
  });

  it('stops a paused consumer on every instance, across restarts, until it is resumed', { timeout: 20_000 }, async () => {
    const consumer = countingConsumer(name('pausable'));
    let running = engine([consumer], name('before'));
    await note(ctx.store, 'pause-1');
    await until(async () => (await applied(consumer.name, 'pause-'))['pause-1'] === 1, 'the first event is applied');
    await pauseConsumer(ctx.db.orm, consumer.name, 'staff:test');
    const pausedAt = Date.now();
    await until(async () => (await statusOf(consumer.name))?.holder === null, 'the holder gives the paused lease up');
    // Released after the batch in hand, within a heartbeat or two, not left to expire.
    expect(Date.now() - pausedAt).toBeLessThan(fast.ttlMs);
    await note(ctx.store, 'pause-2');
    // A restart, and a second instance beside it, leave it paused.
    await running.stop();
    running = engine([consumer], name('after'));
    const other = engine([consumer], name('other'));
    await sleep(fast.ttlMs * 2);
    expect(await applied(consumer.name, 'pause-')).toEqual({ 'pause-1': 1 });
    await resumeConsumer(ctx.db.orm, consumer.name);
    await until(async () => (await applied(consumer.name, 'pause-'))['pause-2'] === 1, 'the resumed consumer applies what waited');
    await Promise.all([running.stop(), other.stop()]);
    expect(await applied(consumer.name, 'pause-')).toEqual({ 'pause-1': 1, 'pause-2': 1 });
  });
});
