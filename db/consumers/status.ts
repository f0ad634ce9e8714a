import { asc, eq, sql } from 'drizzle-orm';
import { encodeToken } from '@/common/log-position';
import type { Orm } from '../client';
import { consumerCheckpoints, consumerLagSamples, consumerLeases } from '../schema/event-store';

export type ConsumerStatus = {
  readonly consumer: string;
  /** The checkpoint as a token: the last event it has read past. */
  readonly checkpoint: string;
  /** Committed events after the checkpoint: how far behind it is, in events. */
  readonly behindEvents: number;
  /** How long the oldest event it has not read yet has been waiting; 0 when it has read everything. */
  readonly lagSeconds: number;
  /** When the checkpoint last moved. */
  readonly updatedAt: Date;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  /** Since when its batches have been failing; null while it is healthy. */
  readonly failingSince: Date | null;
  /** The batches failed in a row since `failingSince`; 0 while it is healthy. */
  readonly failedAttempts: number;
  /**
   * Events read per second over about the last minute (since the newest lag sample a minute old, or the oldest
   * there is); null until a first sample has been taken.
   */
  readonly eventsPerSecond: number | null;
  /** The instance running it now (`host:pid:suffix`), or null when no live instance holds its lease. */
  readonly holder: string | null;
  /** The holder's last renewal of the lease: older than a couple of seconds means the holder is in trouble. */
  readonly heartbeatAt: Date | null;
  /** Paused by staff: no instance runs it until it is resumed. */
  readonly pausedAt: Date | null;
  readonly pausedBy: string | null;
};

/**
 * A consumer's lag as columns of a query on its checkpoint row: the events after the checkpoint, and how long
 * the oldest of them has waited. Both are index probes on the log's primary key, (transaction id, position),
 * the order consumers read in; the count walks the backlog.
 */
export function lagColumns() {
  const after = sql`(e.transaction_id, e.global_position) > (${consumerCheckpoints.transactionId}, ${consumerCheckpoints.position})`;
  return {
    behindEvents: sql<number>`(select count(*)::int from events e where ${after})`,
    lagSeconds: sql<number>`coalesce(extract(epoch from now() - (
        select e.recorded_at from events e where ${after}
        order by e.transaction_id, e.global_position limit 1))::float8, 0)`,
  };
}

/**
 * Throughput from the read count: the events read since the newest sample at least `throughputWindow` old, or,
 * in the first minute, since the oldest sample (a second old at least, so the division means something).
 */
const throughputWindow = sql`interval '60 seconds'`;
const eventsPerSecond = sql<number | null>`(
  select (${consumerCheckpoints.eventsRead} - s.events_read)::float8 / extract(epoch from now() - s.sampled_at)::float8
  from ${consumerLagSamples} s
  where s.consumer = ${consumerCheckpoints.consumer} and s.sampled_at <= now() - interval '1 second'
  order by s.sampled_at > now() - ${throughputWindow},
    case when s.sampled_at <= now() - ${throughputWindow} then s.sampled_at end desc nulls last,
    s.sampled_at
  limit 1)`;

/**
 * Where every consumer stands, from the checkpoint table, so any process (the web server's status page, an
 * operator's script) sees the consumers of every worker.
 */
export async function readConsumerStatus(db: Orm): Promise<ConsumerStatus[]> {
  const rows = await db
    .select({
      consumer: consumerCheckpoints.consumer,
      transactionId: consumerCheckpoints.transactionId,
      position: consumerCheckpoints.position,
      updatedAt: consumerCheckpoints.updatedAt,
      lastError: consumerCheckpoints.lastError,
      lastErrorAt: consumerCheckpoints.lastErrorAt,
      failingSince: consumerCheckpoints.failingSince,
      failedAttempts: consumerCheckpoints.failedAttempts,
      // An expired lease is nobody's, whatever its row still names.
      holder: sql<string | null>`case when ${consumerLeases.expiresAt} > now() then ${consumerLeases.holder} end`,
      heartbeatAt: consumerLeases.heartbeatAt,
      pausedAt: consumerLeases.pausedAt,
      pausedBy: consumerLeases.pausedBy,
      ...lagColumns(),
      eventsPerSecond,
    })
    .from(consumerCheckpoints)
    .leftJoin(consumerLeases, eq(consumerLeases.consumer, consumerCheckpoints.consumer))
    .orderBy(asc(consumerCheckpoints.consumer));
  return rows.map(({ transactionId, position, ...row }) => ({
    ...row,
    checkpoint: encodeToken({ transactionId, position }),
    behindEvents: Number(row.behindEvents),
    lagSeconds: Math.max(0, Number(row.lagSeconds)),
    eventsPerSecond: row.eventsPerSecond === null ? null : Math.max(0, Number(row.eventsPerSecond)),
  }));
}
