import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Orm } from '../client';
import { consumerCheckpoints, consumerLagSamples } from '../schema/event-store';
import { lagColumns } from './status';
import { pause } from './waker';

/**
 * Each consumer's lag over the last hour, for the status page's chart and throughput: every engine instance
 * samples the consumers it runs every `everyMs` (10 s by default), held, paused or waiting alike, so a paused
 * consumer's growing backlog is charted too. A sample's key is its consumer and time bucket, and an instance
 * skips a bucket another has sampled already, so several instances write one sample per consumer per bucket and
 * only the first pays for counting the backlog. Each round also prunes what has left the window.
 */
export type SampleTimings = {
  /** The bucket width, and how often an instance samples. */
  readonly everyMs: number;
  /** How long a sample is kept: a bit over the hour the chart shows, so its left edge is never empty. */
  readonly keepMs: number;
};

export const defaultSampleTimings: SampleTimings = { everyMs: 10_000, keepMs: 65 * 60_000 };

const seconds = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

/** Samples the consumers' lag into the current bucket unless it has one, and prunes samples past `keepMs`. */
export async function recordLagSamples(db: Orm, consumers: readonly string[], timings: SampleTimings = defaultSampleTimings): Promise<void> {
  if (consumers.length === 0) return;
  const bucket = sql`date_bin(${seconds(timings.everyMs)}, now(), timestamptz 'epoch')`;
  const { behindEvents, lagSeconds } = lagColumns();
  const sampled = sql`exists (select 1 from ${consumerLagSamples} s where s.consumer = ${consumerCheckpoints.consumer} and s.bucket = ${bucket})`;
  await db
    .insert(consumerLagSamples)
    .select(
      db
        .select({
          consumer: consumerCheckpoints.consumer,
          bucket: sql`${bucket}`.as('bucket'),
          sampledAt: sql`now()`.as('sampled_at'),
          eventsRead: consumerCheckpoints.eventsRead,
          behindEvents: sql`${behindEvents}`.as('behind_events'),
          lagSeconds: sql`${lagSeconds}`.as('lag_seconds'),
        })
        .from(consumerCheckpoints)
        .where(and(inArray(consumerCheckpoints.consumer, [...consumers]), sql`not ${sampled}`)),
    )
    // Two instances sampling in the same instant: the second's insert meets the first's row and is dropped.
    .onConflictDoNothing();
  await db
    .delete(consumerLagSamples)
    .where(and(inArray(consumerLagSamples.consumer, [...consumers]), lt(consumerLagSamples.bucket, sql`now() - ${seconds(timings.keepMs)}`)));
}

/** Samples every `everyMs` until the signal aborts; a round that fails is logged and the next one tries again. */
export async function runLagSampler(db: Orm, consumers: readonly string[], timings: SampleTimings, log: Logger, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    await recordLagSamples(db, consumers, timings).catch((error: unknown) => log.warn({ err: error }, 'could not sample the consumers’ lag'));
    await pause(timings.everyMs, signal);
  }
}

/** One point of a consumer's lag chart: the worst lag within its step, and the throughput over it. */
export type LagPoint = {
  readonly at: Date;
  readonly behindEvents: number;
  readonly lagSeconds: number;
  /** Events read per second since the previous point; null for the first. */
  readonly eventsPerSecond: number | null;
};

export type LagHistory = { readonly consumer: string; readonly points: readonly LagPoint[] };

/**
 * The consumers' samples over the last `windowMs`, in steps of `stepMs` (at least the sample interval): each
 * step keeps its worst lag, so a spike is not averaged away when an hour is drawn in 60 points. `consumer`
 * narrows it to one.
 */
export async function readLagHistory(
  db: Orm,
  options: { readonly stepMs: number; readonly windowMs: number; readonly consumer?: string },
): Promise<LagHistory[]> {
  // Written into the statement rather than bound: PostgreSQL groups by an expression only if the select list
  // has the same one, and two bound parameters are two expressions to it. A number of our own, never input.
  const stepSeconds = sql.raw(String(Math.max(1, Math.round(options.stepMs / 1000))));
  const step = sql`date_bin(make_interval(secs => ${stepSeconds}), ${consumerLagSamples.bucket}, timestamptz 'epoch')`;
  const rows = await db
    .select({
      consumer: consumerLagSamples.consumer,
      at: sql<Date>`${step}`.mapWith((value: string | Date) => new Date(value)),
      behindEvents: sql<number>`max(${consumerLagSamples.behindEvents})`.mapWith(Number),
      lagSeconds: sql<number>`max(${consumerLagSamples.lagSeconds})`.mapWith(Number),
      // The read count only rises, so a step's last sample has its largest.
      eventsRead: sql<number>`max(${consumerLagSamples.eventsRead})`.mapWith(Number),
      lastSampledAt: sql<Date>`max(${consumerLagSamples.sampledAt})`.mapWith((value: string | Date) => new Date(value)),
    })
    .from(consumerLagSamples)
    .where(
      and(
        sql`${consumerLagSamples.bucket} > now() - ${seconds(options.windowMs)}`,
        options.consumer === undefined ? undefined : eq(consumerLagSamples.consumer, options.consumer),
      ),
    )
    .groupBy(consumerLagSamples.consumer, step)
    .orderBy(asc(consumerLagSamples.consumer), asc(step));
  const histories = new Map<string, LagPoint[]>();
  let previous: (typeof rows)[number] | undefined;
  for (const row of rows) {
    const points = histories.get(row.consumer) ?? [];
    histories.set(row.consumer, points);
    const before = previous?.consumer === row.consumer ? previous : undefined;
    const elapsed = before ? (row.lastSampledAt.getTime() - before.lastSampledAt.getTime()) / 1000 : 0;
    points.push({
      at: row.at,
      behindEvents: row.behindEvents,
      lagSeconds: Math.max(0, row.lagSeconds),
      eventsPerSecond: before && elapsed > 0 ? Math.max(0, row.eventsRead - before.eventsRead) / elapsed : null,
    });
    previous = row;
  }
  return [...histories].map(([consumer, points]) => ({ consumer, points }));
}
