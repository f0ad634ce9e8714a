import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Orm } from '../client';
import { consumerCheckpoints, consumerInstances, consumerLeases } from '../schema/event-store';

/**
 * The statements behind consumer leases (docs/projections.md, "Several workers"): each consumer is run by one
 * engine instance at a time, the one holding its lease. Every statement reads the database's clock (`now()`),
 * never the process's, so instances on machines whose clocks drift still agree on when a lease expired, and
 * each claim, renewal and release is one statement, so two instances racing for a lease are ordered by its
 * row lock and the loser's condition is re-checked against the winner's committed row.
 *
 * A lease decides who does the work, not whether the work is right: a holder stalled longer than its lease
 * (a GC pause, a frozen VM) may wake and finish a batch another instance has applied meanwhile. The checkpoint's
 * compare-and-set (`advanceCheckpoint`) already makes that harmless: the late batch finds the checkpoint moved
 * and rolls back (an external consumer has repeated an idempotent write). Leases only stop the instances from
 * doing every batch twice and racing for it.
 */

type Executor = Orm;

/** How long a lease lasts without renewal, and how often its holder renews it. */
export type LeaseTimings = { readonly ttlMs: number; readonly heartbeatMs: number };

/**
 * 5 s and 1 s: a dead instance's consumers are taken within about six seconds (the TTL and one heartbeat),
 * and a holder may miss four heartbeats in a row (a slow database, a long GC) before it loses them.
 */
export const defaultLeaseTimings: LeaseTimings = { ttlMs: 5_000, heartbeatMs: 1_000 };

/** An engine instance's id as the status page shows it: the host, the process and a suffix for restarts. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

const inMs = (ms: number) => sql`now() + make_interval(secs => ${ms / 1000})`;
const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;

/** Creates the lease rows the consumers lack, free (expired now) and not paused. */
export async function ensureLeases(db: Executor, consumers: readonly string[]): Promise<void> {
  if (consumers.length === 0) return;
  await db
    .insert(consumerLeases)
    .values(consumers.map((consumer) => ({ consumer })))
    .onConflictDoNothing();
}

/**
 * Claims or renews the leases of `consumers` for `instanceId`, in one statement, and returns those it holds
 * now. A lease is taken when it is this instance's already, or free (released, or expired by the database's
 * clock), and never while the consumer is paused; a paused consumer's lease is not renewed either, so its
 * holder drops it. The others are held by a live instance and stay theirs.
 */
export async function claimLeases(db: Executor, instanceId: string, consumers: readonly string[], ttlMs: number): Promise<string[]> {
  if (consumers.length === 0) return [];
  const rows = await db
    .insert(consumerLeases)
    .values(consumers.map((consumer) => ({ consumer, holder: instanceId, acquiredAt: sql`now()`, heartbeatAt: sql`now()`, expiresAt: inMs(ttlMs) })))
    .onConflictDoUpdate({
      target: consumerLeases.consumer,
      set: {
        holder: instanceId,
        // Kept while the lease stays this instance's, so the status page says since when it has run it.
        acquiredAt: sql`case when ${consumerLeases.holder} = ${instanceId} then ${consumerLeases.acquiredAt} else now() end`,
        heartbeatAt: sql`now()`,
        expiresAt: inMs(ttlMs),
      },
      setWhere: and(
        isNull(consumerLeases.pausedAt),
        or(eq(consumerLeases.holder, instanceId), isNull(consumerLeases.holder), sql`${consumerLeases.expiresAt} <= now()`),
      ),
    })
    .returning({ consumer: consumerLeases.consumer });
  return rows.map((row) => row.consumer);
}

/** Gives up this instance's leases of `consumers` at once, so another instance need not wait for them to expire. */
export async function releaseLeases(db: Executor, instanceId: string, consumers: readonly string[]): Promise<void> {
  if (consumers.length === 0) return;
  await db
    .update(consumerLeases)
    .set({ holder: null, expiresAt: sql`now()` })
    .where(and(inArray(consumerLeases.consumer, [...consumers]), eq(consumerLeases.holder, instanceId)));
}

/** Where each of `consumers`' leases stands for `instanceId`: what a heartbeat decides its claims from. */
export type LeaseState = {
  readonly consumer: string;
  /** Released or expired: anyone may take it. */
  readonly free: boolean;
  /** Free for a whole TTL already: nobody within their fair share wanted it, so anyone takes it. */
  readonly unclaimed: boolean;
  readonly paused: boolean;
};

export async function readLeaseStates(db: Executor, consumers: readonly string[], ttlMs: number): Promise<LeaseState[]> {
  if (consumers.length === 0) return [];
  const free = sql<boolean>`(${consumerLeases.holder} is null or ${consumerLeases.expiresAt} <= now())`;
  return db
    .select({
      consumer: consumerLeases.consumer,
      free,
      unclaimed: sql<boolean>`(${free} and ${consumerLeases.expiresAt} <= now() - make_interval(secs => ${ttlMs / 1000}))`,
      paused: sql<boolean>`(${consumerLeases.pausedAt} is not null)`,
    })
    .from(consumerLeases)
    .where(inArray(consumerLeases.consumer, [...consumers]));
}

/**
 * Records this instance as alive for another TTL and counts the live instances that run any of its consumers,
 * itself included: the number its fair share is taken from. Instances running other consumers (another
 * service's engine on the same database) do not count.
 */
export async function heartbeatInstance(db: Executor, instanceId: string, consumers: readonly string[], ttlMs: number): Promise<number> {
  await db
    .insert(consumerInstances)
    .values({ instanceId, consumers: [...consumers], expiresAt: inMs(ttlMs) })
    .onConflictDoUpdate({ target: consumerInstances.instanceId, set: { heartbeatAt: sql`now()`, expiresAt: inMs(ttlMs) } });
  const [row] = await db
    .select({ live: sql<number>`count(*)::int` })
    .from(consumerInstances)
    .where(and(gt(consumerInstances.expiresAt, sql`now()`), sql`${consumerInstances.consumers} && ${textArray(consumers)}`));
  return Math.max(1, Number(row?.live ?? 1));
}

/** Removes this instance from the live ones (a graceful stop), and the rows of instances long dead. */
export async function retireInstance(db: Executor, instanceId: string): Promise<void> {
  await db
    .delete(consumerInstances)
    .where(or(eq(consumerInstances.instanceId, instanceId), lt(consumerInstances.expiresAt, sql`now() - interval '1 hour'`)));
}

/**
 * Pauses a consumer on every instance, until resumed, and says whether there is such a consumer (one with a
 * checkpoint). Its holder stops after the batch it is applying, within a heartbeat, and releases the lease;
 * no instance claims it meanwhile, restarts included.
 */
export async function pauseConsumer(db: Executor, consumer: string, by: string): Promise<boolean> {
  const known = await db.select({ consumer: consumerCheckpoints.consumer }).from(consumerCheckpoints).where(eq(consumerCheckpoints.consumer, consumer));
  if (known.length === 0) return false;
  await db
    .insert(consumerLeases)
    .values({ consumer, pausedAt: sql`now()`, pausedBy: by })
    // Pausing a paused consumer keeps who paused it first, and when.
    .onConflictDoUpdate({ target: consumerLeases.consumer, set: { pausedAt: sql`now()`, pausedBy: by }, setWhere: isNull(consumerLeases.pausedAt) });
  return true;
}

/** Resumes a paused consumer: the next heartbeat of an instance that runs it claims it. */
export async function resumeConsumer(db: Executor, consumer: string): Promise<boolean> {
  const rows = await db
    .update(consumerLeases)
    .set({ pausedAt: null, pausedBy: null })
    .where(and(eq(consumerLeases.consumer, consumer), isNotNull(consumerLeases.pausedAt)))
    .returning({ consumer: consumerLeases.consumer });
  return rows.length > 0;
}
