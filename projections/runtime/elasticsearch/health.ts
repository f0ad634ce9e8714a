import type { Client } from '@elastic/elasticsearch';
import { interactiveRequest } from './client';
import { classifySearchError, readOnlySummary, type SearchFailure } from './failures';
import type { SearchIndex } from './search-index';

/** A read model's index as a search and a write would find it now. */
export type SearchIndexHealth = {
  /** Why a search of it fails now (the failure's summary), or null when it answers. */
  readonly searchProblem: string | null;
  /** Why writes to it would be refused (a write block), or null when none is set. */
  readonly writeProblem: string | null;
};

/**
 * The status page's probes, short enough for a page that refreshes every few seconds, and answered even when
 * the node is down: a search of nothing through the alias (closed, missing, red or blocked, it fails as the
 * shop's searches do), and the index's block settings (a write block fails only the consumer's writes, and
 * before the next batch, nothing would say so).
 */
export async function probeSearchIndex(client: Client, index: SearchIndex): Promise<SearchIndexHealth> {
  const options = interactiveRequest;
  const [search, settings] = await Promise.allSettled([
    client.search({ index: index.alias, size: 0, track_total_hits: false }, options),
    client.indices.getSettings({ index: index.alias, name: 'index.blocks.*', flat_settings: true }, options),
  ]);
  return {
    searchProblem: search.status === 'fulfilled' ? null : failureOf(search.reason).summary,
    writeProblem: settings.status === 'fulfilled' ? writeBlockOf(settings.value) : null,
  };
}

function failureOf(error: unknown): SearchFailure {
  const failure = classifySearchError(error);
  if (!failure) throw error;
  return failure;
}

type BlockSettings = Record<string, { settings?: Record<string, unknown> }>;

function writeBlockOf(indices: BlockSettings): string | null {
  for (const { settings = {} } of Object.values(indices)) {
    if (String(settings['index.blocks.read_only_allow_delete']) === 'true') return readOnlySummary({ floodStage: true });
    if (String(settings['index.blocks.write']) === 'true' || String(settings['index.blocks.read_only']) === 'true') {
      return readOnlySummary({ floodStage: false });
    }
  }
  return null;
}

/** The searches of one read model this process answered with "catching up", since it started. */
export type DegradedAnswers = {
  readonly count: number;
  readonly lastAt: Date;
  readonly lastProblem: string;
};

/** How often a run of failures of one kind is logged again (with its count), instead of once per search. */
const relogMs = 60_000;

/**
 * What this process's searches ran into, per read model: the status page shows it, since a probe may not
 * see what a real search met (a circuit breaker trips on aggregations, a probe has none), and the log gets a
 * line when the kind of failure changes or once a minute, not one per search during an outage.
 */
export function degradedAnswerLog(now: () => Date = () => new Date()) {
  const answers = new Map<string, DegradedAnswers & { loggedAt: number; loggedKind: string; loggedCount: number }>();
  return {
    /** Counts a degraded answer; returns how many there were since the last log line, or 0 when not to log yet. */
    record(readModel: string, failure: SearchFailure): number {
      const at = now();
      const before = answers.get(readModel);
      const count = (before?.count ?? 0) + 1;
      const due = !before || before.loggedKind !== failure.kind || at.getTime() - before.loggedAt >= relogMs;
      answers.set(readModel, {
        count,
        lastAt: at,
        lastProblem: failure.summary,
        loggedAt: due ? at.getTime() : before.loggedAt,
        loggedKind: due ? failure.kind : before.loggedKind,
        loggedCount: due ? count : before.loggedCount,
      });
      return due ? count - (before?.loggedCount ?? 0) : 0;
    },
    of(readModel: string): DegradedAnswers | null {
      const entry = answers.get(readModel);
      return entry ? { count: entry.count, lastAt: entry.lastAt, lastProblem: entry.lastProblem } : null;
    },
  };
}

export type DegradedAnswerLog = ReturnType<typeof degradedAnswerLog>;
