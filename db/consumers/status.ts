import { asc, eq, sql } from 'drizzle-orm';
import { encodeToken } from '@/common/log-position';
import type { Orm } from '../client';
import { consumerCheckpoints, consumerLeases } from '../schema/event-store';

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
  /** The instance running it now (`host:pid:suffix`), or null when no live instance holds its lease. */
  readonly holder: string | null;
  /** The holder's last renewal of the lease: older than a couple of seconds means the holder is in trouble. */
  readonly heartbeatAt: Date | null;
  /** Paused by staff: no instance runs it until it is resumed. */
  readonly pausedAt: Date | null;
  readonly pausedBy: string | null;
};

/**
 * Where every consumer stands, from the checkpoint table, so any process (the web server's status page, an
 * operator's script) sees the consumers of every worker. Both lag figures are index probes on the log's
 * primary key, (transaction id, position), the order consumers read in.
 */
export async function readConsumerStatus(db: Orm): Promise<ConsumerStatus[]> {
  const after = sql`(e.transaction_id, e.global_position) > (${consumerCheckpoints.transactionId}, ${consumerCheckpoints.position})`;
  const rows = await db
    .select({
      consumer: consumerCheckpoints.consumer,
      transactionId: consumerCheckpoints.transactionId,
      position: consumerCheckpoints.position,
      updatedAt: consumerCheckpoints.updatedAt,
      lastError: consumerCheckpoints.lastError,
      lastErrorAt: consumerCheckpoints.lastErrorAt,
      failingSince: consumerCheckpoints.failingSince,
      // An expired lease is nobody's, whatever its row still names.
      holder: sql<string | null>`case when ${consumerLeases.expiresAt} > now() then ${consumerLeases.holder} end`,
      heartbeatAt: consumerLeases.heartbeatAt,
      pausedAt: consumerLeases.pausedAt,
      pausedBy: consumerLeases.pausedBy,
      behindEvents: sql<number>`(select count(*)::int from events e where ${after})`,
      lagSeconds: sql<number>`coalesce(extract(epoch from now() - (
        select e.recorded_at from events e where ${after}
        order by e.transaction_id, e.global_position limit 1))::float8, 0)`,
    })
    .from(consumerCheckpoints)
    .leftJoin(consumerLeases, eq(consumerLeases.consumer, consumerCheckpoints.consumer))
    .orderBy(asc(consumerCheckpoints.consumer));
  return rows.map(({ transactionId, position, ...row }) => ({
    ...row,
    checkpoint: encodeToken({ transactionId, position }),
    behindEvents: Number(row.behindEvents),
    lagSeconds: Math.max(0, Number(row.lagSeconds)),
  }));
}
