import { count, desc } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readConsumerStatus, type ConsumerStatus } from '@/db/consumers';
import { projectionFailures, type ProjectionFailure } from './runtime/schema';

export type ProjectionStatus = ConsumerStatus & {
  /** Documents it could never write (search read models), recorded and read past. */
  readonly failures: number;
};

/**
 * Where every consumer of the log stands (checkpoint, lag in events and seconds, last error) and how many
 * documents each search read model could never write. The operator's first look when a page keeps saying it
 * is catching up.
 */
export async function readProjectionStatus(
  db: Orm,
): Promise<{ consumers: ProjectionStatus[]; recentFailures: ProjectionFailure[] }> {
  const consumers = await readConsumerStatus(db);
  const failureCounts = await db
    .select({ projection: projectionFailures.projection, failures: count() })
    .from(projectionFailures)
    .groupBy(projectionFailures.projection);
  const recentFailures = await db.select().from(projectionFailures).orderBy(desc(projectionFailures.recordedAt)).limit(20);
  const failuresOf = new Map(failureCounts.map((row) => [row.projection, row.failures]));
  return {
    consumers: consumers.map((status) => ({ ...status, failures: failuresOf.get(status.consumer) ?? 0 })),
    recentFailures,
  };
}
