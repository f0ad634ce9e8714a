import type { estypes } from '@elastic/elasticsearch';

/**
 * Every way a request to Elasticsearch can fail, sorted once. Searches answer "catching up" for any of them;
 * the search consumer retries them (all but `refused`, which is about the request, not the cluster) and says
 * which one in its status; the status page shows the same words.
 */
export type SearchFailureKind =
  /** No connection: the node is down, or not listening yet. */
  | 'unreachable'
  /** Sent, but no answer in time (the client's request timeout), or Elasticsearch's own timeout (408, 504). */
  | 'timeout'
  /** The index exists but no copy of a shard can serve: a restarting node, an unassigned primary (red). */
  | 'shards-unavailable'
  | 'index-closed'
  | 'index-missing'
  /** A write block on the index: set by an operator, or by Elasticsearch itself when the disk is nearly full. */
  | 'read-only'
  /** Any other index or cluster block (a read block, no elected master). */
  | 'blocked'
  /** 429: a full queue (rejected execution) or a circuit breaker (not enough memory for the request). */
  | 'overloaded'
  /** Any other 5xx, or something that is not Elasticsearch answering at its address. */
  | 'unavailable'
  /** Any other 4xx: Elasticsearch refused this request itself (a mapping it does not fit, a bad query). */
  | 'refused';

export type SearchFailure = {
  readonly kind: SearchFailureKind;
  /** The HTTP status it answered with; null when no answer came. */
  readonly status: number | null;
  /** Elasticsearch's error type that decided the kind; null without an answer. For the log and the tests. */
  readonly type: string | null;
  /**
   * What is wrong, in words an operator can act on, without index names, stack traces or Elasticsearch's JSON,
   * so it may be shown (the status page) and stored (the consumer's last error). The details go to the log.
   */
  readonly summary: string;
  /** A state of the cluster that passes or is lifted: retry. False only for `refused`. */
  readonly transient: boolean;
};

/** The error classes of @elastic/transport, by name: the web server's bundles may each hold a copy of them. */
const noConnection = new Set(['ConnectionError', 'NoLivingConnectionsError']);
const notElasticsearch = new Set(['DeserializationError', 'ProductNotSupportedError', 'RequestAbortedError']);

/**
 * The failure a thrown error stands for, or null when it is no failure of Elasticsearch (a bug of ours, such as
 * a document that cannot be serialised, or an error from something else altogether).
 */
export function classifySearchError(error: unknown): SearchFailure | null {
  if (!(error instanceof Error)) return null;
  if (noConnection.has(error.name)) return failure('unreachable', null, null);
  if (error.name === 'TimeoutError') return failure('timeout', null, null);
  if (notElasticsearch.has(error.name)) {
    return { kind: 'unavailable', status: null, type: null, summary: 'what answers at the Elasticsearch address is not Elasticsearch', transient: true };
  }
  if (error.name !== 'ResponseError') return null;
  const response = error as Error & { statusCode?: number; body?: unknown };
  const body = response.body;
  const cause = isObject(body) && isObject(body.error) ? (body.error as estypes.ErrorCause) : undefined;
  return classifyAnswer(response.statusCode ?? null, cause);
}

/**
 * The failure of one item of a multi-document answer (a bulk item's status and error, or an mget document's
 * error, which carries no status): the same classification as a whole request's.
 */
export function classifyItemError(status: number | null, cause: estypes.ErrorCause | undefined): SearchFailure {
  return classifyAnswer(status, cause);
}

const shardsUnavailable = new Set([
  'no_shard_available_action_exception',
  'unavailable_shards_exception',
  // A shard still recovering (a node that restarted, an index just opened): it answers in a moment.
  'illegal_index_shard_state_exception',
  'primary_missing_action_exception',
  'shard_not_found_exception',
  'node_not_connected_exception',
  'node_disconnected_exception',
]);
const clusterUnavailable = new Set(['master_not_discovered_exception', 'not_master_exception']);
const timedOut = new Set(['process_cluster_event_timeout_exception', 'receive_timeout_transport_exception', 'timeout_exception']);

/** By the error types anywhere in the answer first (a 503 or a 429 says less than its cause), then by status. */
function classifyAnswer(status: number | null, cause: estypes.ErrorCause | undefined): SearchFailure {
  const causes = cause ? causesOf(cause) : [];
  const find = (types: ReadonlySet<string> | string) =>
    causes.find((entry) => (typeof types === 'string' ? entry.type === types : types.has(entry.type)));
  const found = (kind: SearchFailureKind, entry: estypes.ErrorCause) => failure(kind, status, entry.type, entry.reason ?? '');

  const closed = find('index_closed_exception');
  if (closed) return found('index-closed', closed);
  const missing = find('index_not_found_exception');
  if (missing) return found('index-missing', missing);
  const block = find('cluster_block_exception');
  if (block) return found(isWriteBlock(block.reason ?? '') ? 'read-only' : 'blocked', block);
  const overload = find(new Set(['circuit_breaking_exception', 'es_rejected_execution_exception']));
  if (overload) return found('overloaded', overload);
  const shards = find(shardsUnavailable);
  if (shards) return found('shards-unavailable', shards);
  const master = find(clusterUnavailable);
  if (master) return found('unavailable', master);
  const slow = find(timedOut);
  if (slow) return found('timeout', slow);

  const type = cause?.type ?? null;
  if (status === 429) return failure('overloaded', status, type);
  if (status === 408 || status === 504) return failure('timeout', status, type);
  // "all shards failed" with a 503: every shard is unavailable (a restarting node); a 400 would be our query.
  if (status === 503 && type === 'search_phase_execution_exception') return failure('shards-unavailable', status, type);
  if (status !== null && status >= 500) return failure('unavailable', status, type);
  return failure('refused', status, type);
}

/**
 * Write blocks, by their descriptions: `index write (api)` (index.blocks.write), `index read-only (api)`
 * (index.blocks.read_only) and the flood-stage watermark's `read-only-allow-delete`. A read or metadata
 * block, or a cluster-wide one, is not about writes only.
 */
function isWriteBlock(reason: string): boolean {
  return /index write|index read-only|read-only-allow-delete/.test(reason);
}

/** The error, its root causes, its chain of causes and every failed shard's reason. */
function causesOf(cause: estypes.ErrorCause, depth = 0): estypes.ErrorCause[] {
  if (depth > 5) return [];
  const nested: unknown[] = [...(cause.root_cause ?? []), cause.caused_by];
  const shards = (cause as { failed_shards?: { reason?: unknown }[] }).failed_shards;
  if (Array.isArray(shards)) nested.push(...shards.map((shard) => shard?.reason));
  return [
    cause,
    ...nested.filter((entry): entry is estypes.ErrorCause => isObject(entry) && typeof entry.type === 'string').flatMap((entry) => causesOf(entry, depth + 1)),
  ];
}

function failure(kind: SearchFailureKind, status: number | null, type: string | null, reason = ''): SearchFailure {
  return { kind, status, type, summary: summarise(kind, status, type, reason), transient: kind !== 'refused' };
}

/** The summary: by kind, and by type or reason where they tell which flavour (never the reason's own words). */
function summarise(kind: SearchFailureKind, status: number | null, type: string | null, reason: string): string {
  switch (kind) {
    case 'unreachable':
      return 'Elasticsearch cannot be reached';
    case 'timeout':
      return 'Elasticsearch did not answer in time';
    case 'shards-unavailable':
      return 'no copy of the index is available (the cluster is red, or a node is still starting)';
    case 'index-closed':
      return 'the index is closed';
    case 'index-missing':
      return 'the index does not exist';
    case 'read-only':
      return readOnlySummary({ floodStage: /read-only-allow-delete|flood-stage/.test(reason) });
    case 'blocked':
      if (/no master/.test(reason)) return 'the cluster has no elected master';
      return /index read/.test(reason) ? 'reads from the index are blocked (a read block is set)' : 'a cluster or index block refuses the request';
    case 'overloaded':
      if (type === 'circuit_breaking_exception') return 'Elasticsearch is short of memory and refused the request (a circuit breaker tripped)';
      if (type === 'es_rejected_execution_exception') return 'Elasticsearch is too busy and rejected the request (its queue is full)';
      return 'Elasticsearch is too busy and rejected the request (429)';
    case 'unavailable':
      return status === null ? 'Elasticsearch is unavailable' : `Elasticsearch is unavailable (${status})`;
    case 'refused':
      return `Elasticsearch refused the request (${status ?? 'no status'})`;
  }
}

/** A write block's summary, also for the status page, which reads blocks from the index's settings. */
export function readOnlySummary({ floodStage }: { floodStage: boolean }): string {
  return floodStage
    ? 'the index is read-only because the disk is nearly full (flood-stage watermark)'
    : 'the index is read-only (a write block is set)';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Told of each search answered "catching up", with why and the original error (the caller logs it). */
export type SearchFailureListener = (failure: SearchFailure, error: unknown) => void;

/**
 * A batch of the search consumer failed for a reason Elasticsearch gave: the message says what was being done
 * and the failure's summary, for the consumer's status; `failure`, `detail` (per document, with Elasticsearch's
 * own reasons) and `cause` go to the log with it.
 */
export class SearchUnavailableError extends Error {
  override name = 'SearchUnavailableError';
  readonly detail: readonly object[] | undefined;
  constructor(
    readonly failure: SearchFailure,
    doing: string,
    options: { cause?: unknown; detail?: readonly object[] } = {},
  ) {
    super(`${doing}: ${failure.summary}`, { cause: options.cause });
    this.detail = options.detail;
  }
}

/** Runs `work`; an Elasticsearch failure comes out as a `SearchUnavailableError` saying what was being done. */
export async function describingFailures<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SearchUnavailableError) throw error;
    const failure = classifySearchError(error);
    if (!failure) throw error;
    throw new SearchUnavailableError(failure, doing, { cause: error });
  }
}

/**
 * A document Elasticsearch refused, as a dead letter records it: `error` is its error type and status
 * (`strict_dynamic_mapping_exception (400)`), which names no index and quotes no document, for the back
 * office; `detail` is its whole answer, for whoever fixes the cause.
 */
export function describeRefusal(status: number | null, cause: estypes.ErrorCause | undefined): { error: string; detail: string } {
  const type = cause?.type && /^[a-z_]{1,100}$/.test(cause.type) ? cause.type : 'refused by Elasticsearch';
  return { error: status === null ? type : `${type} (${status})`, detail: JSON.stringify(cause ?? {}) };
}
