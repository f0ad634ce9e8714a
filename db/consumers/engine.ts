import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { ensureCheckpoint, recordConsumerFailure, recordConsumerRecovery } from '../event-store';
import { batchSizeOf, consumerBatches, type BatchOptions, type ConsumerSource } from './batches';
import type { Consumer } from './consumer';
import { LeaseKeeper } from './lease-keeper';
import { defaultLeaseTimings, newInstanceId, type LeaseTimings } from './leases';
import { defaultSampleTimings, runLagSampler, type SampleTimings } from './samples';
import { pause, Waker } from './waker';

/** How soon to look again while the horizon is held back by a transaction still running. */
const horizonRetryMs = 10;
/** The longest such pause: a horizon held longer than this is a long transaction, which polling outlasts. */
const horizonMaxWaitMs = 80;
/**
 * The least time between the starts of two live batches of one consumer, unless it declares its own. The
 * value is measured, not guessed (the lag rows of `npm run bench`, 100 commands/s, on 2 cores): at 10 ms the
 * six PostgreSQL read models still ran close to one batch per command each, and the machine was saturated by
 * batches (their round trips cost more than their rows); at 20 ms lag p99 fell by about a fifth, since the
 * CPU freed was worth more than the wait added; at 40 ms the wait itself dominated.
 */
export const defaultLiveBatchSpacingMs = 20;

/**
 * Log levels: a loop's routine lines are debug (each batch, and each catch-up with live traffic, which under
 * load is one per batch: about 6 KB/s of info lines before). Info is what an operator wants: the engine's start
 * and stop, a consumer's first catch-up (it runs and is current), a catch-up after a backlog (at least
 * `backlogEvents` events, or behind for `backlogMs` or more), a recovery. A batch over `slowBatchMs` is a
 * warning: every page reading that read model waits that long behind it, so a second is worth a look (a
 * database or a downstream system in trouble), while a full batch of 500 events normally takes far less.
 */
const slowBatchMs = 1_000;
const backlogEvents = 1_000;
const backlogMs = 5_000;

/** Retry pauses after failures: 0.5 s, 1 s, 2 s, … up to 30 s, so a broken dependency is not hammered. */
export function retryPauseMs(failures: number): number {
  return Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
}

export type EngineOptions = BatchOptions & {
  /** How long a caught-up consumer sleeps when no NOTIFY arrives; polling is the fallback wake-up. */
  readonly pollMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /**
   * This instance's id on the status page (default `host:pid:suffix`) and its lease timings (default
   * `defaultLeaseTimings`: a 5 s TTL renewed every second).
   */
  readonly lease?: Partial<LeaseTimings> & { readonly instanceId?: string };
  /** How often the consumers' lag is sampled for the status page, and for how long (`defaultSampleTimings`). */
  readonly samples?: Partial<SampleTimings>;
};

/**
 * Runs every consumer in its own loop until the signal aborts. Each loop applies batches while there is work,
 * then sleeps until an append's NOTIFY (or the poll interval) wakes it. A batch that fails is retried with a
 * growing pause (a transactional batch was rolled back; an external one is repeated, idempotently), its error
 * is recorded in the consumer's checkpoint row for the status page, and the other consumers carry on.
 *
 * Several processes may run the same consumers. Each consumer runs only in the instance holding its lease
 * (`./lease-keeper.ts`), which takes its fair share of them and the consumers of an instance that died once
 * their leases expire; a consumer paused by staff runs nowhere. Under the leases, `advanceCheckpoint` still
 * lets only one instance move a checkpoint past a batch, so each event is applied once even when a holder
 * stalled past its lease and woke up mid-batch. Every instance also samples its consumers' lag every 10 s for
 * the status page's chart and throughput (`./samples.ts`).
 */
export async function runConsumers(
  source: ConsumerSource,
  consumers: readonly Consumer[],
  options: EngineOptions,
): Promise<void> {
  const names = consumers.map((consumer) => consumer.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Two consumers are named ${duplicate}: each needs a checkpoint of its own.`);
  // Every loop waits on the one signal (a few listeners each): not the leak Node's default of 10 warns about.
  setMaxListeners(Math.max(10, consumers.length * 4), options.signal);
  const wakers = consumers.map(() => new Waker());
  const instanceId = options.lease?.instanceId ?? newInstanceId();
  const timings = { ...defaultLeaseTimings, ...options.lease };
  const log = options.logger.child({ instance: instanceId });
  const keeper = new LeaseKeeper(source.orm, instanceId, names, timings, log, (name) => wakers[names.indexOf(name)]?.notify());
  const subscription = await listen(source, options, () => wakers.forEach((waker) => waker.notify()));
  await keeper.start().catch((error: unknown) => log.warn({ err: error }, 'could not claim leases yet; the heartbeat keeps trying'));
  log.info({ consumers: names, leaseTtlMs: timings.ttlMs, heartbeatMs: timings.heartbeatMs }, 'consumers running');
  // The heartbeat stops only after the loops: a loop finishing its last batch still holds its lease.
  const heartbeat = new AbortController();
  const heartbeating = keeper.run(heartbeat.signal);
  const sampling = runLagSampler(source.orm, names, { ...defaultSampleTimings, ...options.samples }, log, options.signal);
  try {
    await Promise.all(consumers.map((consumer, index) => runLoop(source, consumer, wakers[index]!, keeper, options)));
  } finally {
    heartbeat.abort();
    await Promise.all([heartbeating.catch(() => {}), sampling]);
    await keeper.stop().catch((error: unknown) => log.warn({ err: error }, 'could not release the leases; they expire on their own'));
    await subscription?.stop();
    log.info({ consumers: names }, 'consumers stopped');
  }
}

/** LISTEN for appends; while the database is unreachable at start-up, keep trying instead of exiting. */
async function listen(source: ConsumerSource, options: EngineOptions, onAppend: () => void) {
  for (let failures = 1; !options.signal.aborted; failures++) {
    try {
      return await source.store.onAppend(onAppend);
    } catch (error) {
      const retryInMs = retryPauseMs(failures);
      options.logger.error({ err: error, retryInMs }, 'cannot listen for appends; retrying');
      await pause(retryInMs, options.signal);
    }
  }
  return null;
}

async function runLoop(source: ConsumerSource, consumer: Consumer, waker: Waker, keeper: LeaseKeeper, options: EngineOptions): Promise<void> {
  const log = options.logger.child({ consumer: consumer.name });
  let batches = consumerBatches(source, consumer, options);
  const batchSize = batchSizeOf(consumer, options);
  const spacingMs = consumer.liveBatchSpacingMs ?? defaultLiveBatchSpacingMs;
  let started = false;
  let failures = 0;
  // Whether this loop has cleared a run of failures recorded before it held the lease (by an instance that
  // died failing, or by itself before a hand-over), so the status page does not say "failing" forever.
  let recordedHealthy = false;
  let caughtUp = false;
  let caughtUpBefore = false;
  let applied = 0;
  let behindSince = 0;
  let horizonWaits = 0;
  let spacedUntil = 0;
  while (!options.signal.aborted) {
    if (!keeper.holds(consumer.name)) {
      // Between batches: paused, handed over or lost, so stop here until the lease is this instance's again.
      await keeper.turn(consumer.name, options.signal);
      // A batch read ahead before may start at a checkpoint another instance has moved past since.
      batches = consumerBatches(source, consumer, options);
      spacedUntil = 0;
      recordedHealthy = false;
      continue;
    }
    try {
      if (!started) {
        await ensureCheckpoint(source.orm, consumer.name);
        started = true;
      }
      const early = spacedUntil - performance.now();
      if (early > 0) await pause(early, options.signal);
      const startedAt = performance.now();
      const { read, heldBack, replayedFromStart } = await batches.next(failures);
      if (replayedFromStart) log.warn({ reason: replayedFromStart }, 'replaying from the start of the log');
      // The artificial delay (CONSUMER_DELAY_MS) is chosen, not suffered: it does not make a batch slow.
      const ms = Math.round(performance.now() - startedAt);
      if (ms - (options.delayMs ?? 0) > slowBatchMs) log.warn({ read, ms }, 'slow batch');
      const full = read === batchSize;
      // A full batch means a backlog: the next one follows at once. Otherwise, what arrives meanwhile waits a
      // little, so that it is applied together.
      spacedUntil = full ? 0 : startedAt + spacingMs;
      if (failures > 0 || !recordedHealthy) {
        if (failures > 0) log.info({ failures }, 'recovered');
        failures = 0;
        await recordConsumerRecovery(source.orm, consumer.name);
        recordedHealthy = true;
      }
      if (read > 0) {
        if (applied === 0) behindSince = startedAt;
        applied += read;
        horizonWaits = 0;
        caughtUp = false;
        log.debug({ read, ms }, 'batch applied');
        if (full) continue;
      }
      // Nothing readable, yet committed events lie ahead: an older transaction still holds the horizon. It
      // will finish in moments (and sends no NOTIFY if it appended nothing), so look again soon: short and
      // capped, because under steady load some transaction is nearly always in flight, and a pause that grew
      // to the poll interval showed up as a second of lag. A NOTIFY cuts it shorter still.
      if (heldBack) {
        await waker.wait(Math.min(horizonMaxWaitMs, horizonRetryMs * 2 ** Math.min(horizonWaits++, 3)), options.signal);
        continue;
      }
      horizonWaits = 0;
      if (!caughtUp) {
        const seconds = applied > 0 ? Math.round(performance.now() - behindSince) / 1000 : 0;
        const backlog = !caughtUpBefore || applied >= backlogEvents || seconds * 1000 >= backlogMs;
        log[backlog ? 'info' : 'debug']({ events: applied, seconds }, 'caught up');
        caughtUp = true;
        caughtUpBefore = true;
        applied = 0;
      }
    } catch (error) {
      failures++;
      const retryInMs = retryPauseMs(failures);
      log.error({ err: error, failures, retryInMs }, 'batch failed; retrying');
      await recordConsumerFailure(source.orm, consumer.name, describe(error)).catch((recordError: unknown) =>
        log.warn({ err: recordError }, 'could not record the failure in the consumer status'),
      );
      await pause(retryInMs, options.signal);
      continue;
    }
    await waker.wait(options.pollMs, options.signal);
  }
}

/** An error as the status page shows it: its message, without a stack; long messages cut. */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}
