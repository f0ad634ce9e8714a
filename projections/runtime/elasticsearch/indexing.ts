import type { Client } from '@elastic/elasticsearch';
import type { ExternalConsumer } from '@/db/consumers';
import type { StoredEvent } from '@/db/event-store';
import type { ShopEvent, ShopEventType } from '@/domain';
import type { ShopStoredEvent } from '../projection';
import { projectionFailures } from '../schema';
import { isMissingIndex } from './client';
import type { SearchProjection } from './projection';
import { ensureIndex, forgetIndex, physicalName, promote, type SearchIndex } from './search-index';

type PendingDocument = { id: string; version: number; doc: object; event: StoredEvent };

/** Elasticsearch refused documents for a reason that may pass (overload, a shard unavailable): retry later. */
class TransientIndexingError extends Error {
  override name = 'TransientIndexingError';
}

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
 *    and writes the documents with the client's bulk helper, versioned externally by stream version;
 * 3. only after Elasticsearch acknowledged, the engine moves the checkpoint, in one PostgreSQL transaction
 *    with any document Elasticsearch can never accept (`projection_failures`); of two instances, only the
 *    one whose checkpoint move wins records them.
 *
 * A crash between 2 and 3 replays the batch: the external versions make the replay a no-op (409s), so a
 * document never moves backwards. If Elasticsearch is down, step 2 throws, the checkpoint stays, and the
 * engine retries with a growing pause; commands and PostgreSQL read models never wait for it.
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
    async applyBatch(events, { backlog }) {
      const refresh = !backlog;
      let rejected: Rejection[];
      try {
        rejected = await index(client, projection, events, refresh);
      } catch (error) {
        // Someone deleted the index under us: ensure it again on the next try instead of failing forever.
        if (isMissingIndex(error)) forgetIndex(client, projection.index);
        throw error;
      }
      markRefresh(client, projection.index, !refresh);
      if (rejected.length === 0) return;
      return {
        async recordWithCheckpoint(tx) {
          await tx
            .insert(projectionFailures)
            .values(
              rejected.map(({ pending, status, reason }) => ({
                projection: projection.name,
                documentId: pending.id,
                eventId: pending.event.eventId,
                eventType: pending.event.type,
                globalPosition: pending.event.globalPosition,
                streamVersion: pending.event.streamVersion,
                status,
                reason,
              })),
            )
            .onConflictDoNothing();
        },
      };
    },
    async whenCaughtUp() {
      // Make the last full batches searchable, then, if the alias still serves an older version of this
      // index, this one can take over now.
      await refreshIfPending(client, projection.index);
      await promote(client, projection.index);
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

type Rejection = { pending: PendingDocument; status: number; reason: string };

async function index<Doc extends object, T extends ShopEventType>(
  client: Client,
  projection: SearchProjection<Doc, T>,
  events: readonly ShopStoredEvent<T>[],
  refresh: boolean,
): Promise<Rejection[]> {
  await ensureIndex(client, projection.index);
  // Writes go to this version's own index, never through the alias, which may still serve an older one.
  const target = physicalName(projection.index);
  const ids = [...new Set(events.map((event) => projection.documentId(event)))];
  const current = await client.mget<Doc>({ index: target, ids });
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

  const rejected: Rejection[] = [];
  const transient: string[] = [];
  const byId = new Map(pending.map((entry) => [entry.id, entry]));
  await client.helpers.bulk<PendingDocument>({
    datasource: pending,
    onDocument: (entry) => [
      { index: { _index: target, _id: entry.id, version: entry.version, version_type: 'external' } },
      entry.doc,
    ],
    onDrop: (dropped) => {
      // The helper hands back the action line as sent; its _id leads to the document we meant to write.
      const id = (dropped.operation as { index?: { _id?: string } }).index?._id ?? '';
      const entry = byId.get(id);
      if (!entry) throw new Error(`Elasticsearch dropped a document we did not send: ${id}`);
      // 409: Elasticsearch already holds this version or a newer one. That is the idempotence we want.
      if (dropped.status === 409) return;
      if (dropped.status === 429 || dropped.status >= 500) {
        transient.push(`${entry.id}: ${dropped.status}`);
        return;
      }
      rejected.push({ pending: entry, status: dropped.status, reason: JSON.stringify(dropped.error ?? {}) });
    },
    refresh,
    retries: 3,
    wait: 500,
    concurrency: 1,
    flushBytes: 5_000_000,
  });
  if (transient.length > 0) {
    throw new TransientIndexingError(`Elasticsearch did not take ${transient.length} documents: ${transient.join(', ')}`);
  }
  return rejected;
}
