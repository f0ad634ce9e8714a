import type { Client } from '@elastic/elasticsearch';
import { count, desc } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { defaultSampleTimings, readConsumerStatus, readLagHistory, type ConsumerStatus, type LagHistory } from '@/db/consumers';
import { probeSearchIndex, type DegradedAnswerLog, type DegradedAnswers, type SearchIndexHealth } from './runtime/elasticsearch/health';
import type { SearchProjection } from './runtime/elasticsearch/projection';
import { projectionFailures, type ProjectionFailure } from './runtime/schema';

export type ProjectionStatus = ConsumerStatus & {
  /** Documents it could never write (search read models), recorded and read past. */
  readonly failures: number;
};

/**
 * Where every consumer of the log stands (checkpoint, lag in events and seconds, last error), how many
 * documents each search read model could never write, and, given the search backend, whether search answers
 * now and why not (`SearchBackend.status`). The operator's first look when a page keeps saying it is
 * catching up.
 */
export async function readProjectionStatus(
  db: Orm,
  search?: { status(): Promise<SearchStatus> },
): Promise<{ consumers: ProjectionStatus[]; recentFailures: ProjectionFailure[]; search: SearchStatus | null }> {
  // The probes wait on Elasticsearch (2 s at most), so they run beside the PostgreSQL reads.
  const [consumers, failureCounts, recentFailures, searchStatus] = await Promise.all([
    readConsumerStatus(db),
    db
      .select({ projection: projectionFailures.projection, failures: count() })
      .from(projectionFailures)
      .groupBy(projectionFailures.projection),
    db.select().from(projectionFailures).orderBy(desc(projectionFailures.recordedAt)).limit(20),
    search ? search.status() : null,
  ]);
  const failuresOf = new Map(failureCounts.map((row) => [row.projection, row.failures]));
  return {
    consumers: consumers.map((status) => ({ ...status, failures: failuresOf.get(status.consumer) ?? 0 })),
    recentFailures: recentFailures.map((failure) => ({ ...failure, reason: errorTypeOf(failure.reason) })),
    search: searchStatus,
  };
}

/**
 * A refused document's reason as the page shows it: Elasticsearch's error type (`strict_dynamic_mapping_exception`),
 * not its JSON, which names indices and quotes the document. The whole reason stays in the table.
 */
function errorTypeOf(reason: string): string {
  try {
    const parsed: unknown = JSON.parse(reason);
    const type = typeof parsed === 'object' && parsed !== null && 'type' in parsed ? parsed.type : null;
    return typeof type === 'string' && /^[a-z_]{1,100}$/.test(type) ? type : 'refused by Elasticsearch';
  } catch {
    return 'refused by Elasticsearch';
  }
}

/** The chart's window: the last hour. */
const chartWindowMs = 3_600_000;

/**
 * The consumers' lag over the last hour for the status page's charts: for all of them a point a minute (each
 * minute's worst), which is what a sparkline per row can draw and what the page can fetch every few seconds;
 * for one consumer, every sample (10 s), for the larger chart of the consumer an operator is looking at.
 */
export function readLagChart(db: Orm, consumer?: string): Promise<LagHistory[]> {
  const stepMs = consumer === undefined ? 60_000 : defaultSampleTimings.everyMs;
  return readLagHistory(db, { consumer, stepMs, windowMs: chartWindowMs });
}

/** One search read model on the status page. */
export type SearchReadModelStatus = SearchIndexHealth & {
  /** The consumer's name, as in the consumers table (`product_search_v1`). */
  readonly readModel: string;
  /** The searches this web server answered with "search is catching up", and why the last one was. */
  readonly degraded: DegradedAnswers | null;
};

/** Where search stands: PostgreSQL full text (nothing to probe), or each Elasticsearch read model's health. */
export type SearchStatus =
  | { readonly kind: 'postgres' }
  | { readonly kind: 'elasticsearch'; readonly readModels: readonly SearchReadModelStatus[] };

/**
 * Probes each search read model's index (`probeSearchIndex`) beside what this process's searches met. The
 * consumer's own failures (a batch that cannot be written, and why) are in `readProjectionStatus`.
 */
export async function readSearchStatus(
  client: Client,
  readModels: readonly SearchProjection[],
  degraded: DegradedAnswerLog,
): Promise<SearchStatus> {
  return {
    kind: 'elasticsearch',
    readModels: await Promise.all(
      readModels.map(async (projection) => ({
        readModel: projection.name,
        ...(await probeSearchIndex(client, projection.index)),
        degraded: degraded.of(projection.name),
      })),
    ),
  };
}
