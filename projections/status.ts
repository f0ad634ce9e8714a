import { count, desc, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { projectionCheckpoints } from '@/db/schema/event-store';
import { projectionFailures, type ProjectionFailure } from './runtime/schema';

export type ProjectionStatus = {
  projection: string;
  checkpoint: string;
  /** Committed events after the checkpoint. */
  behind: number;
  updatedAt: Date;
  failures: number;
};

/**
 * Where every projection stands: its checkpoint, how many events it still has to read, and how many
 * documents it could never write. The operator's first look when a page keeps saying it is catching up.
 */
export async function readProjectionStatus(
  db: Orm,
): Promise<{ projections: ProjectionStatus[]; recentFailures: ProjectionFailure[] }> {
  const rows = await db
    .select({
      projection: projectionCheckpoints.projection,
      transactionId: projectionCheckpoints.transactionId,
      position: projectionCheckpoints.position,
      updatedAt: projectionCheckpoints.updatedAt,
      behind: sql<number>`(
        select count(*)::int from events e
        where (e.transaction_id, e.global_position) > (${projectionCheckpoints.transactionId}, ${projectionCheckpoints.position})
      )`,
    })
    .from(projectionCheckpoints)
    .orderBy(projectionCheckpoints.projection);
  const failureCounts = await db
    .select({ projection: projectionFailures.projection, failures: count() })
    .from(projectionFailures)
    .groupBy(projectionFailures.projection);
  const recentFailures = await db.select().from(projectionFailures).orderBy(desc(projectionFailures.recordedAt)).limit(20);
  const failuresOf = new Map(failureCounts.map((row) => [row.projection, row.failures]));
  return {
    projections: rows.map((row) => ({
      projection: row.projection,
      checkpoint: `${row.transactionId}.${row.position}`,
      behind: row.behind,
      updatedAt: row.updatedAt,
      failures: failuresOf.get(row.projection) ?? 0,
    })),
    recentFailures,
  };
}
