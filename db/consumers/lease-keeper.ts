import type { Logger } from 'pino';
import type { Orm } from '../client';
import { claimLeases, ensureLeases, heartbeatInstance, readLeaseStates, releaseLeases, retireInstance, type LeaseTimings } from './leases';
import { pause } from './waker';

/**
 * One engine instance's side of the leases: every heartbeat it renews what it holds, claims its fair share
 * of what is free, and gives up what it should no longer run (paused by staff, or more than its share now
 * that other instances run). A consumer's loop asks `holds` before each batch and waits in `turn` while it
 * does not; a lease is released only once its loop has finished the batch in hand, so the next holder does
 * not start on the same batch.
 *
 * Fair share: an instance takes at most ceil(consumers / live instances), so three workers started together
 * split the consumers instead of the first taking them all; a lease nobody within their share took for a
 * whole TTL (the others are full, or cannot reach it) is taken by anyone, so a consumer never stays unrun.
 */
export class LeaseKeeper {
  /** Held in the database and running: the lease's local expiry, measured on this process's monotonic clock. */
  private readonly held = new Map<string, number>();
  /** Held in the database, to be released once the consumer's loop is between batches. */
  private readonly owed = new Set<string>();
  private readonly waiting = new Map<string, () => void>();
  private ensured = false;

  constructor(
    private readonly orm: Orm,
    readonly instanceId: string,
    private readonly consumers: readonly string[],
    private readonly timings: LeaseTimings,
    private readonly log: Logger,
    /** Called when a consumer's lease is lost or owed, so its sleeping loop wakes to stop. */
    private readonly onChange: (consumer: string) => void,
  ) {}

  /**
   * Whether this instance may start a batch of the consumer now. The local expiry is counted from before the
   * renewal was sent, so it ends no later than the database's: a holder that cannot reach the database stops
   * by itself when its lease runs out, instead of racing the instance that took it.
   */
  holds(consumer: string): boolean {
    const until = this.held.get(consumer);
    return until !== undefined && performance.now() < until;
  }

  /** Waits until this instance holds the consumer's lease, first releasing it if it is owed. */
  async turn(consumer: string, signal: AbortSignal): Promise<void> {
    if (this.owed.delete(consumer)) {
      await releaseLeases(this.orm, this.instanceId, [consumer]).catch((error: unknown) =>
        this.log.warn({ err: error, consumer }, 'could not release a lease; it expires on its own'),
      );
    }
    while (!signal.aborted && !this.holds(consumer)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.waiting.delete(consumer);
          resolve();
        };
        this.waiting.set(consumer, done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Heartbeats until the signal aborts, then releases every lease at once and leaves the live instances. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.beat().catch((error: unknown) => this.log.warn({ err: error }, 'lease heartbeat failed; trying again'));
      await pause(this.timings.heartbeatMs, signal);
    }
  }

  /** After the loops have stopped: a graceful stop hands the consumers over now rather than after a TTL. */
  async stop(): Promise<void> {
    const mine = [...this.held.keys(), ...this.owed];
    this.held.clear();
    this.owed.clear();
    await releaseLeases(this.orm, this.instanceId, mine);
    await retireInstance(this.orm, this.instanceId);
  }

  /** The first heartbeat, before any loop starts, so a lone instance runs its consumers at once. */
  async start(): Promise<void> {
    await this.beat();
  }

  private async beat(): Promise<void> {
    const { ttlMs } = this.timings;
    // Before any claim: a claim inserts a missing row as its own, past the fair share.
    if (!this.ensured) {
      await ensureLeases(this.orm, this.consumers);
      this.ensured = true;
    }
    const sentAt = performance.now();
    const live = await heartbeatInstance(this.orm, this.instanceId, this.consumers, ttlMs);
    const share = Math.ceil(this.consumers.length / live);
    const states = await readLeaseStates(this.orm, this.consumers, ttlMs);
    const running = [...this.held.keys()];
    const room = Math.max(0, share - running.length);
    const free = states.filter((state) => state.free && !state.paused && !this.held.has(state.consumer) && !this.owed.has(state.consumer));
    const wanted = [
      ...free.filter((state) => !state.unclaimed).slice(0, room),
      ...free.filter((state) => state.unclaimed),
    ].map((state) => state.consumer);
    // Owed leases are renewed too: their loops are finishing a batch under them.
    const claimed = new Set(await claimLeases(this.orm, this.instanceId, [...running, ...this.owed, ...wanted], ttlMs));
    const until = sentAt + ttlMs;
    for (const consumer of this.consumers) {
      if (!claimed.has(consumer)) {
        // Paused, or taken by another instance after ours expired: either way the loop stops after its batch.
        // A paused lease is still ours, so the loop releases it then and the status page shows nobody holding it.
        if (this.held.delete(consumer)) {
          const paused = states.some((state) => state.consumer === consumer && state.paused);
          if (paused) this.owed.add(consumer);
          this.log.info({ consumer, paused }, 'lease given up');
          this.onChange(consumer);
        }
        continue;
      }
      if (this.owed.has(consumer)) continue;
      if (!this.held.has(consumer)) this.log.info({ consumer }, 'lease taken');
      this.held.set(consumer, until);
      this.waiting.get(consumer)?.();
    }
    // More than our share while nothing is free: an instance started and has nothing to take, so hand it the
    // surplus, the longest held kept. While leases are free, a newcomer takes those instead. Leases taken
    // because nobody claimed them (`unclaimed`) were not counted in `running`, so they are not handed straight back.
    const surplus = running.length - share;
    if (surplus > 0 && free.length === 0) {
      for (const consumer of running.slice(share)) {
        if (!this.held.delete(consumer)) continue;
        this.owed.add(consumer);
        this.log.info({ consumer, share, live }, 'lease handed over to a fair share');
        this.onChange(consumer);
      }
    }
  }
}
