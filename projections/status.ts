import type { Client } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import { defaultSampleTimings, readConsumerStatus, readLagHistory, type ConsumerStatus, type LagHistory } from '@/db/consumers';
import { countDeadLetters } from '@/db/dead-letters';
import { probeSearchIndex, type DegradedAnswerLog, type DegradedAnswers, type SearchIndexHealth } from './runtime/elasticsearch/health';
import type { SearchProjection } from './runtime/elasticsearch/projection';

export type ProjectionStatus = ConsumerStatus & {
  /** Its open dead letters: what it could not deliver (a search document, a message), recorded and read past. */
  readonly deadLetters: number;
};

/**
 * Where every consumer of the log stands (checkpoint, lag in events and seconds, last error), how many open
 * dead letters each has (the back office's dead-letters page lists them), and, given the search backend,
 * whether search answers now and why not (`SearchBackend.status`). The operator's first look when a page
 * keeps saying it is catching up.
 */
export async function readProjectionStatus(
  db: Orm,
  search?: { status(): Promise<SearchStatus> },
): Promise<{ consumers: ProjectionStatus[]; openDeadLetters: number; search: SearchStatus | null }> {
  // The probes wait on Elasticsearch (2 s at most), so they run beside the PostgreSQL reads.
  const [consumers, deadLetterCounts, searchStatus] = await Promise.all([
    readConsumerStatus(db),
    countDeadLetters(db),
    search ? search.status() : null,
  ]);
  const openOf = new Map(deadLetterCounts.map((row) => [row.consumer, row.open]));
  return {
    consumers: consumers.map((status) => ({ ...status, deadLetters: openOf.get(status.consumer) ?? 0 })),
    openDeadLetters: deadLetterCounts.reduce((sum, row) => sum + row.open, 0),
    search: searchStatus,
  };
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
