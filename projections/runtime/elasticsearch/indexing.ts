import type { Client, estypes } from '@elastic/elasticsearch';
import type { ExternalConsumer } from '@/db/consumers';
import type { StoredEvent } from '@/db/event-store';
import type { ShopEvent, ShopEventType } from '@/domain';
import type { ShopStoredEvent } from '../projection';
import { recordDeadLetters } from '@/db/dead-letters';
import { classifyItemError, describeRefusal, describingFailures, SearchUnavailableError, type SearchFailure } from './failures';
import type { SearchProjection } from './projection';
import { ensureIndex, forgetIndex, physicalName, promote, type SearchIndex } from './search-index';

type PendingDocument = { id: string; version: number; doc: object; event: StoredEvent };

/**
 * The most events in one Elasticsearch batch, whatever the engine's batch size: a batch is one bulk request,
 * and `CONSUMER_BATCH_SIZE` may be raised for PostgreSQL rebuilds to where a request would outgrow the
 * client's timeout. At 10,000 a request is a few megabytes.
 */
export const maxSearchBatchSize = 10_000;

/**
 * Elasticsearch batches start at least 250 ms apart under load, against the engine's 20 ms: a refresh costs
 * far more than the documents, and search lag is judged against the refresh interval (1 s). Measured in the
 * lag rows of `npm run bench` at 100 commands/s on 2 cores: at 100 ms, Elasticsearch took a fifth of the
 * machine; at 250 ms, under a tenth, for a lag p99 near 350 ms.
 */
const searchBatchSpacingMs = 250;

/**
 * A search read model as an external consumer of the log (db/consumers), writing to `client`:
 *
 * 1. the engine reads the events after the checkpoint (PostgreSQL);
 * 2. `applyBatch` fetches the current version of every document they touch, folds the newer events into each,
 *    and writes the documents in one bulk request, versioned externally by stream version;
 * 3. only after Elasticsearch acknowledged, the engine moves the checkpoint, in one PostgreSQL transaction
 *    with any document Elasticsearch can never accept, as a dead letter (`dead_letters`, which staff retry or
 *    skip in the back office: `./reindex.ts`); of two instances, only the one whose checkpoint move wins records
 *    them.
 *
 * A crash between 2 and 3 replays the batch: the external versions make the replay a no-op (409s), so a
 * document never moves backwards. If Elasticsearch cannot take the batch (down, overloaded, the index closed,
 * missing or read-only, no shard available), step 2 throws a `SearchUnavailableError` saying which, the
 * checkpoint stays, and the engine retries with a growing pause, recording that message as the consumer's
 * last error for the status page, until the cause passes or is lifted; commands and PostgreSQL read models
 * never wait for it. Only a document Elasticsearch refuses for itself (its mapping) is recorded and read past.
 *
 * Refreshes: a live batch makes its documents searchable (`refresh: true`), so the checkpoint never claims
 * more than a search shows. It refreshes the shards it wrote rather than waiting for the next scheduled
 * refresh (`wait_for`): batches run one after another, so with wait_for the events that arrived during one
 * wait sat out the next wait too, and lag reached two refresh intervals (1.7–2.2 s at 100 commands/s in the
 * benchmarks). A batch of a backlog (full: more is waiting) skips the refresh, and the next short batch, or
 * the refresh once caught up, makes those documents searchable together, so a rebuild pays for one refresh.
 */
export function searchConsumer<Doc extends object, T extends ShopEventType>(
  client: Client,
  projection: SearchProjection<Doc, T>,
): ExternalConsumer<ShopEvent, T> {
  return {
    kind: 'external',
    name: projection.name,
    handles: projection.handles,
    liveBatchSpacingMs: searchBatchSpacingMs,
    maxBatchSize: maxSearchBatchSize,
    async applyBatch(events, { backlog, fromStart }) {
      const refresh = !backlog;
      // No index where the checkpoint says documents are (deleted, or a node that came back without its data):
      // made again, empty, and filled from the start of the log. Carrying on from the checkpoint would leave
      // every document of the earlier events out, for good and without a word.
      const created = await describingFailures('Preparing the index', () => ensureIndex(client, projection.index, { alias: fromStart }));
      if (created && !fromStart) return { replayFromStart: `the index ${physicalName(projection.index)} did not exist, so it was made again, empty` };
      let rejected: Rejection[];
      try {
        rejected = await index(client, projection, events, refresh);
      } catch (error) {
        // Someone deleted the index under us: ensure it again on the next try instead of failing forever.
        if (error instanceof SearchUnavailableError && error.failure.kind === 'index-missing') forgetIndex(client, projection.index);
        throw error;
      }
      markRefresh(client, projection.index, !refresh);
      if (rejected.length === 0) return;
      return {
        recordWithCheckpoint: (tx) =>
          recordDeadLetters(
            tx,
            rejected.map(({ pending, status, cause }) => ({
              consumer: projection.name,
              kind: 'document' as const,
              target: pending.id,
              eventId: pending.event.eventId,
              eventType: pending.event.type,
              streamId: pending.event.streamId,
              streamVersion: pending.event.streamVersion,
              globalPosition: pending.event.globalPosition,
              ...describeRefusal(status, cause),
            })),
          ),
      };
    },
    async whenCaughtUp() {
      // Make the last full batches searchable, then, if the alias still serves an older version of this
      // index, this one can take over now.
      await describingFailures('Making the last documents searchable', () => refreshIfPending(client, projection.index));
      await describingFailures('Moving the alias to this index version', () => promote(client, projection.index));
    },
  };
}

/** Indices written without a refresh since their last one, per client: they owe a refresh once caught up. */
const unrefreshed = new WeakMap<Client, Set<string>>();

function markRefresh(client: Client, index: SearchIndex, pending: boolean): void {
  const names = unrefreshed.get(client) ?? new Set<string>();
  unrefreshed.set(client, names);
  if (pending) names.add(physicalName(index));
  // A refreshing write made every earlier write searchable too.
  else names.delete(physicalName(index));
}

async function refreshIfPending(client: Client, index: SearchIndex): Promise<void> {
  const names = unrefreshed.get(client);
  if (!names?.has(physicalName(index))) return;
  await client.indices.refresh({ index: physicalName(index) });
  names.delete(physicalName(index));
}

type Rejection = { pending: PendingDocument; status: number; cause: estypes.ErrorCause | undefined };

/**
 * Folds a batch into the documents of `into`, a rebuild's new generation of the index (./rebuild.ts), as the
 * live consumer does into the live one; returns how many documents Elasticsearch refused for good.
 */
export async function writeSearchBatch<Doc extends object, T extends ShopEventType>(
  client: Client,
  projection: SearchProjection<Doc, T>,
  events: readonly ShopStoredEvent<T>[],
  options: { readonly into: string; readonly refresh: boolean },
): Promise<number> {
  // A page of the log may hold none of the projection's events (the read moved past others): nothing to write.
  if (events.length === 0) return 0;
  return (await index(client, projection, events, options.refresh, options.into)).length;
}

async function index<Doc extends object, T extends ShopEventType>(
  client: Client,
  projection: SearchProjection<Doc, T>,
  events: readonly ShopStoredEvent<T>[],
  refresh: boolean,
  into?: string,
): Promise<Rejection[]> {
  // Writes go to this version's own index (or the generation a rebuild fills), never through the read alias,
  // which may still serve an older version.
  const target = into ?? physicalName(projection.index);
  const ids = [...new Set(events.map((event) => projection.documentId(event)))];
  const current = await describingFailures('Reading the documents to update', () => client.mget<Doc>({ index: target, ids }));
  // mget answers 200 with an error per document it could not read (closed or missing index, no shard). Such a
  // document is not absent: folding this batch onto nothing would overwrite it with one that lacks its
  // earlier events, under a newer version that Elasticsearch would accept. So the batch waits.
  const unreadable = current.docs.flatMap((found) => ('error' in found && found.error ? [{ id: found._id, error: found.error }] : []));
  if (unreadable[0]) {
    throw new SearchUnavailableError(classifyItemError(null, unreadable[0].error), 'Reading the documents to update', {
      detail: unreadable.slice(0, 10),
    });
  }
  const documents = new Map<string, { version: number; doc: Doc | null; event?: StoredEvent }>();
  for (const found of current.docs) {
    if ('found' in found && found.found && found._source) {
      documents.set(found._id, { version: found._version ?? 0, doc: found._source });
    }
  }
  for (const event of events) {
    const id = projection.documentId(event);
    const before = documents.get(id) ?? { version: 0, doc: null };
    // Already in the document (a replayed batch): folding it again could only move the document backwards.
    if (event.streamVersion <= before.version) continue;
    documents.set(id, { version: event.streamVersion, doc: projection.reduce(before.doc, event), event });
  }
  const pending: PendingDocument[] = [];
  for (const [id, entry] of documents) {
    if (entry.event && entry.doc) pending.push({ id, version: entry.version, doc: entry.doc, event: entry.event });
  }
  if (pending.length === 0) return [];

  // One request for the batch (at most `maxSearchBatchSize` documents, a few megabytes). The client's bulk
  // helper was used before; it retries a 429 itself and then drops the document without its error, so a
  // read-only block from a full disk (429 too) could not be told from load. The engine retries instead.
  const response = await describingFailures('Writing the documents', () =>
    client.bulk({
      operations: pending.flatMap((entry) => [
        { index: { _index: target, _id: entry.id, version: entry.version, version_type: 'external' as const } },
        entry.doc,
      ]),
      refresh,
    }),
  );
  if (!response.errors) return [];
  const byId = new Map(pending.map((entry) => [entry.id, entry]));
  const rejected: Rejection[] = [];
  const waiting: { id: string; status: number; failure: SearchFailure; error: unknown }[] = [];
  for (const item of response.items) {
    const result = item.index;
    if (!result || result.status < 300) continue;
    const entry = byId.get(result._id ?? '');
    if (!entry) throw new Error(`Elasticsearch answered for a document we did not send: ${result._id}`);
    // 409: Elasticsearch already holds this version or a newer one. That is the idempotence we want.
    if (result.status === 409) continue;
    const failure = classifyItemError(result.status, result.error);
    // A state of the index or the cluster (a block, a closed index, no shard, overload): this batch waits
    // for it to pass. Only a document Elasticsearch refuses on its own merits is recorded and read past.
    if (failure.transient) waiting.push({ id: entry.id, status: result.status, failure, error: result.error });
    else rejected.push({ pending: entry, status: result.status, cause: result.error });
  }
  if (waiting[0]) {
    throw new SearchUnavailableError(waiting[0].failure, `Elasticsearch did not take ${waiting.length} of ${pending.length} documents`, {
      detail: waiting.slice(0, 10).map(({ id, status, error }) => ({ id, status, error })),
    });
  }
  return rejected;
}
