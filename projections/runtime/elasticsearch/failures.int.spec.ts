import { errors, type estypes } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedItems, capturedThrown } from './failure-shapes.fixture';
import { classifyItemError, classifySearchError } from './failures';
import { ensureIndex, physicalName, type SearchIndex } from './search-index';
import {
  blockIndex,
  closeIndex,
  createUnassignedIndex,
  reopenIndex,
  testIndexPrefix,
  unreachableClient,
  useLocalElasticsearchNode,
  useSearchClientOn,
  withTrippedRequestBreaker,
  type LiftFault,
} from './testing';

/**
 * The unit spec classifies failures captured from this node (failure-shapes.fixture.ts). This one provokes
 * each of them again, on an index of its own, and checks that the node still answers with the captured
 * status and error types and that they classify alike: a new Elasticsearch version that words a failure
 * differently fails here, not in production. On a node of the file's own, the same version's: the circuit
 * breaker's limit holds for the whole cluster.
 */
const node = await useLocalElasticsearchNode();
type Doc = { x: string; t: string };
const prefix = testIndexPrefix();
const index: SearchIndex<Doc> = {
  alias: `${prefix}_shapes`,
  version: 1,
  mappings: { dynamic: 'strict', properties: { x: { type: 'keyword' }, t: { type: 'text' } } },
};
const name = physicalName(index);
/** Red from its creation: its primary may go to no node. */
const redIndex: SearchIndex<Doc> = { ...index, alias: `${prefix}_red` };
const client = useSearchClientOn(node.url, index, redIndex);
const unreachable = unreachableClient();
afterAll(() => unreachable.close());

beforeAll(async () => {
  await ensureIndex(client, index);
  await client.index({ index: name, id: '1', document: { x: 'a', t: 'a' }, refresh: true });
});

/** A failure reduced to what the classification reads: the status and every error type in it, in order. */
type Shape = { status: number | null; types: string[] };

function typesOf(cause: unknown): string[] {
  if (typeof cause !== 'object' || cause === null) return [];
  const entry = cause as estypes.ErrorCause & { failed_shards?: { reason?: unknown }[] };
  return [
    ...(typeof entry.type === 'string' ? [entry.type] : []),
    ...(entry.root_cause ?? []).flatMap(typesOf),
    ...typesOf(entry.caused_by),
    ...(entry.failed_shards ?? []).flatMap((shard) => typesOf(shard.reason)),
  ];
}

function thrownShape(error: unknown): Shape & { name: string } {
  if (!(error instanceof Error)) throw new Error(`not an error: ${String(error)}`);
  if (!(error instanceof errors.ResponseError)) return { name: error.name, status: null, types: [] };
  return { name: error.name, status: error.statusCode ?? null, types: typesOf((error.body as { error?: unknown }).error) };
}

function capturedShape(captured: (typeof capturedThrown)[keyof typeof capturedThrown]): Shape & { name: string } {
  return 'body' in captured
    ? { name: captured.name, status: captured.statusCode, types: typesOf(captured.body.error) }
    : { name: captured.name, status: null, types: [] };
}

async function expectThrownLike(captured: keyof typeof capturedThrown, request: () => Promise<unknown>): Promise<void> {
  const error = await request().then(
    () => expect.fail(`${captured}: the request succeeded`),
    (reason: unknown) => reason,
  );
  expect(thrownShape(error)).toEqual(capturedShape(capturedThrown[captured]));
  const [live, expected] = [classifySearchError(error), classifySearchError(rebuilt(captured))];
  expect(live).toEqual(expected);
}

/** The fixture's error as the client would throw it (the unit spec builds them the same way). */
function rebuilt(captured: keyof typeof capturedThrown): Error {
  const entry = capturedThrown[captured];
  if ('body' in entry) {
    return new errors.ResponseError({ body: entry.body, statusCode: entry.statusCode, headers: {}, warnings: null, meta: {} as never });
  }
  return entry.name === 'TimeoutError' ? new errors.TimeoutError(entry.message) : new errors.ConnectionError(entry.message);
}

/** One document's failure inside a 200 answer: a bulk item's (status and error) or an mget document's (error). */
function expectItemLike(captured: keyof typeof capturedItems, status: number | null, error: estypes.ErrorCause | undefined): void {
  const entry = capturedItems[captured];
  expect({ status, types: typesOf(error) }).toEqual({ status: entry.status, types: typesOf(entry.error) });
  expect(classifyItemError(status, error)).toEqual(classifyItemError(entry.status, entry.error as estypes.ErrorCause));
}

async function bulkItem(target = name, doc: object = { x: 'b' }) {
  const response = await client.bulk({
    timeout: '1s',
    operations: [{ index: { _index: target, _id: '2', version: 5, version_type: 'external' } }, doc],
  });
  const item = response.items[0]?.index;
  return { status: item?.status ?? null, error: item?.error };
}

async function mgetDocument(target = name) {
  const response = await client.mget({ index: target, ids: ['1'] });
  const doc = response.docs[0];
  return { status: null, error: doc && 'error' in doc ? doc.error : undefined };
}

async function whileFaulted(fault: Promise<LiftFault>, check: () => Promise<void>): Promise<void> {
  const lift = await fault;
  try {
    await check();
  } finally {
    await lift();
  }
}

describe('failures as the real node answers them', () => {
  it('a missing index, a refused query and a refused document', async () => {
    await expectThrownLike('searchMissingIndex', () => client.search({ index: `${prefix}_gone` }));
    const missing = await mgetDocument(`${prefix}_gone`);
    expectItemLike('mgetMissingIndex', missing.status, missing.error);
    await expectThrownLike('searchRefusedQuery', () => client.search({ index: index.alias, sort: [{ t: 'asc' }] }));
    const strict = await bulkItem(name, { x: 'b', colour: 'red' });
    expectItemLike('bulkStrictMapping', strict.status, strict.error);
  });

  it('a closed index', async () => {
    await whileFaulted(closeIndex(client, index), async () => {
      await expectThrownLike('searchClosedIndex', () => client.search({ index: index.alias }));
      const read = await mgetDocument();
      expectItemLike('mgetClosedIndex', read.status, read.error);
      const write = await bulkItem();
      expectItemLike('bulkClosedIndex', write.status, write.error);
    });
  });

  it('write blocks and a read block', async () => {
    await whileFaulted(blockIndex(client, index, 'write'), async () => {
      const write = await bulkItem();
      expectItemLike('bulkWriteBlock', write.status, write.error);
    });
    await whileFaulted(blockIndex(client, index, 'read_only'), async () => {
      const write = await bulkItem();
      expectItemLike('bulkReadOnlyBlock', write.status, write.error);
    });
    await whileFaulted(blockIndex(client, index, 'read_only_allow_delete'), async () => {
      const write = await bulkItem();
      expectItemLike('bulkFloodStageBlock', write.status, write.error);
      await expectThrownLike('indexFloodStageBlock', () => client.index({ index: name, id: '3', document: { x: 'c', t: 'c' } }));
    });
    await whileFaulted(blockIndex(client, index, 'read'), async () => {
      await expectThrownLike('searchReadBlock', () => client.search({ index: index.alias }));
    });
  });

  it('no shard available (the index red), and a request that times out', async () => {
    await whileFaulted(createUnassignedIndex(client, redIndex), async () => {
      const red = physicalName(redIndex);
      await expectThrownLike('searchNoShard', () => client.search({ index: redIndex.alias }));
      await expectThrownLike('getNoShard', () => client.get({ index: red, id: '1' }));
      const read = await mgetDocument(red);
      expectItemLike('mgetNoShard', read.status, read.error);
      const write = await bulkItem(red);
      expectItemLike('bulkNoShard', write.status, write.error);
      // A refresh waits for the missing shard, longer than this client waits for an answer.
      await expectThrownLike('requestTimeout', () => client.indices.refresh({ index: red }, { requestTimeout: 300, maxRetries: 0 }));
    });
  });

  it('a shard still recovering, as on a node that has just restarted', async () => {
    // The window lasts about a second, so the search may also come after it: then it simply answers.
    await whileFaulted(reopenIndex(client, index), async () => {
      const answer = await client.search({ index: index.alias }).then(
        () => null,
        (error: unknown) => error,
      );
      if (answer !== null) expect(classifySearchError(answer)).toMatchObject({ kind: 'shards-unavailable', status: 503 });
    });
  });

  it('a node that refuses connections, and a tripped circuit breaker', async () => {
    await expectThrownLike('connectionRefused', () => unreachable.search({ index: index.alias }));
    await withTrippedRequestBreaker(client, () =>
      expectThrownLike('searchCircuitBreaker', () => client.search({ index: index.alias, aggs: { x: { terms: { field: 'x' } } } })),
    );
  });
});
