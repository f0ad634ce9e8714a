import { errors, type estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { capturedItems, capturedThrown } from './failure-shapes.fixture';
import { classifyItemError, classifySearchError, describeRefusal, describingFailures, SearchUnavailableError, type SearchFailureKind } from './failures';

type Captured = (typeof capturedThrown)[keyof typeof capturedThrown];

/** The error the client throws for a captured answer: the same classes, built from the same status and body. */
function rebuild(captured: Captured): Error {
  if (captured.name === 'ResponseError') {
    return new errors.ResponseError({
      body: captured.body,
      statusCode: captured.statusCode,
      headers: {},
      warnings: null,
      // The diagnostic metadata the transport adds; the classification never reads it.
      meta: {} as errors.ResponseError['meta']['meta'],
    });
  }
  return captured.name === 'TimeoutError' ? new errors.TimeoutError(captured.message) : new errors.ConnectionError(captured.message);
}

const item = (captured: { status: number | null; error: object }) =>
  classifyItemError(captured.status, captured.error as estypes.ErrorCause);

/** Words that belong in the log, not on a page: index names, Elasticsearch's types and JSON. */
const internals = /shop_|_exception|\{|\[|Jb3f0pYx/;

describe('classifying what Elasticsearch answers', () => {
  const thrown: [keyof typeof capturedThrown, SearchFailureKind, number | null][] = [
    ['connectionRefused', 'unreachable', null],
    ['requestTimeout', 'timeout', null],
    ['searchMissingIndex', 'index-missing', 404],
    ['searchClosedIndex', 'index-closed', 400],
    ['searchNoShard', 'shards-unavailable', 503],
    ['searchShardRecovering', 'shards-unavailable', 503],
    ['getNoShard', 'shards-unavailable', 503],
    ['searchReadBlock', 'blocked', 403],
    ['indexFloodStageBlock', 'read-only', 429],
    ['searchCircuitBreaker', 'overloaded', 429],
    ['searchRefusedQuery', 'refused', 400],
  ];
  it.each(thrown)('a thrown %s is %s', (name, kind, status) => {
    const failure = classifySearchError(rebuild(capturedThrown[name]));
    expect(failure).toMatchObject({ kind, status, transient: kind !== 'refused' });
    expect(failure?.summary).not.toMatch(internals);
  });

  const items: [keyof typeof capturedItems, SearchFailureKind][] = [
    ['mgetMissingIndex', 'index-missing'],
    ['mgetClosedIndex', 'index-closed'],
    ['mgetNoShard', 'shards-unavailable'],
    ['mgetShardRecovering', 'shards-unavailable'],
    ['bulkClosedIndex', 'index-closed'],
    ['bulkWriteBlock', 'read-only'],
    ['bulkReadOnlyBlock', 'read-only'],
    ['bulkFloodStageBlock', 'read-only'],
    ['bulkNoShard', 'shards-unavailable'],
    ['bulkStrictMapping', 'refused'],
  ];
  it.each(items)('a document failure %s is %s', (name, kind) => {
    const failure = item(capturedItems[name]);
    expect(failure).toMatchObject({ kind, transient: kind !== 'refused' });
    expect(failure.summary).not.toMatch(internals);
  });

  it('decides by the cause inside a 503 or 429, not by the status alone', () => {
    // "all shards failed" wraps the cause: a circuit breaker (429) and an unassigned shard (503) read apart.
    expect(classifySearchError(rebuild(capturedThrown.searchCircuitBreaker))).toMatchObject({
      type: 'circuit_breaking_exception',
      summary: expect.stringContaining('circuit breaker'),
    });
    expect(classifySearchError(rebuild(capturedThrown.searchNoShard))).toMatchObject({ type: 'no_shard_available_action_exception' });
    // The flood-stage block answers 429, but it is a block an operator lifts, not load that passes.
    expect(item(capturedItems.bulkFloodStageBlock).summary).toMatch(/disk is nearly full/);
    expect(item(capturedItems.bulkWriteBlock).summary).toMatch(/write block/);
  });

  it('sorts answers it has no capture of by their type and status', () => {
    // A full write queue, as Elasticsearch describes it (EsRejectedExecutionException): no way to fill the
    // shared node's queue from a test, so this one is written from the server's source, not captured.
    const rejected = { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' };
    expect(classifyItemError(429, rejected)).toMatchObject({ kind: 'overloaded', summary: expect.stringContaining('queue is full') });
    expect(classifyItemError(503, { type: 'master_not_discovered_exception', reason: null })).toMatchObject({ kind: 'unavailable' });
    const noMaster = { type: 'cluster_block_exception', reason: 'blocked by: [SERVICE_UNAVAILABLE/2/no master];' };
    expect(classifyItemError(503, noMaster)).toMatchObject({ kind: 'blocked', summary: 'the cluster has no elected master' });
    // A proxy in front of the cluster that answers 502 with an HTML page: no Elasticsearch error at all.
    const proxy = new errors.ResponseError({ body: '<html>Bad Gateway</html>', statusCode: 502, headers: {}, warnings: null, meta: {} as never });
    expect(classifySearchError(proxy)).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(classifySearchError(new errors.ResponseError({ body: {}, statusCode: 429, headers: {}, warnings: null, meta: {} as never }))).toMatchObject({
      kind: 'overloaded',
    });
    expect(classifySearchError(new errors.ResponseError({ body: {}, statusCode: 504, headers: {}, warnings: null, meta: {} as never }))).toMatchObject({
      kind: 'timeout',
    });
  });

  it('leaves errors that are not Elasticsearch failures alone', () => {
    expect(classifySearchError(new TypeError('x is undefined'))).toBeNull();
    expect(classifySearchError(new errors.SerializationError('cannot serialise', {}))).toBeNull();
    expect(classifySearchError('a string')).toBeNull();
  });

  it('says what was being done and why, with the original error as the cause', async () => {
    const original = rebuild(capturedThrown.searchClosedIndex);
    const error = await describingFailures('Reading the documents to update', () => Promise.reject(original)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchUnavailableError);
    expect(error).toMatchObject({ message: 'Reading the documents to update: the index is closed', cause: original });
    const bug = new TypeError('x is undefined');
    await expect(describingFailures('Anything', () => Promise.reject(bug))).rejects.toBe(bug);
  });
});

describe('a refused document as its dead letter records it', () => {
  it('is its error type and status for the page, and the whole answer for whoever fixes the cause', () => {
    const cause = { type: 'strict_dynamic_mapping_exception', reason: 'mapping set to strict, dynamic introduction of [colour] within [_doc] is not allowed' };
    expect(describeRefusal(400, cause)).toEqual({ error: 'strict_dynamic_mapping_exception (400)', detail: JSON.stringify(cause) });
  });

  it('says "refused by Elasticsearch" when the answer names no type it can show', () => {
    expect(describeRefusal(400, undefined)).toEqual({ error: 'refused by Elasticsearch (400)', detail: '{}' });
    expect(describeRefusal(null, { type: '<b>Not a type</b>' } as estypes.ErrorCause).error).toBe('refused by Elasticsearch');
  });
});
