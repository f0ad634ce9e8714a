import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import { type EventStore, type StoredEvent } from '@/db/event-store';
import { TransactionRollbackError } from 'drizzle-orm';
import { advanceCheckpoint } from '../checkpoints';
import type { ShopStoredEvent } from '../projection';
import type { BatchOptions, BatchResult } from '../runner';
import { projectionFailures } from '../schema';
import type { SearchProjection } from './projection';
import { isMissingIndex } from './client';
import { ensureIndex, forgetIndex, physicalName, promote, type SearchIndex } from './search-index';

type PendingDocument = { id: string; version: number; doc: object; event: StoredEvent };

/** Elasticsearch refused documents for a reason that may pass (overload, a shard unavailable): retry later. */
export class TransientIndexingError extends Error {
  override name = 'TransientIndexingError';
}

/**
 * One batch of an Elasticsearch projection:
 *
 * 1. read the events after the checkpoint (PostgreSQL);
 * 2. fetch the current version of every document they touch, fold the newer events into each;
 * 3. write the documents with the client's bulk helper, versioned externally by stream version, and make
 *    them searchable (`refresh: true`) so the checkpoint never claims more than a search shows; a full batch
 *    (a rebuild or a backlog: more is waiting) skips the refresh, and the batch that finds the projection
 *    caught up refreshes the index instead, so a rebuild pays for one refresh, not one per batch;
 * 4. only after Elasticsearch acknowledged the batch, move the checkpoint (and record any document
 *    Elasticsearch can never accept) in one PostgreSQL transaction; `advanceCheckpoint` lets only one of
 *    two instances move it.
 *
 * A crash between 3 and 4 replays the batch: the external versions make the replay a no-op (409s), so a
 * document never moves backwards. If Elasticsearch is down, step 2 or 3 throws, the checkpoint stays, and
 * the projector retries with a growing pause; commands and PostgreSQL read models never wait for it.
 */
export async function projectSearchBatch(
  orm: Orm,
  store: EventStore,
  client: Client,
  projection: SearchProjection,
  options: BatchOptions,
): Promise<BatchResult> {
  const page = await store.readAll({ after: { checkpointOf: projection.name }, limit: options.batchSize, types: projection.handles });
  const { from, heldBack } = page;
  const result = { read: page.read, heldBack };
  if (page.read === 0) {
    // Caught up: make the last full batches searchable, then, if the alias still serves an older version of
    // this index, this one can take over now.
    await refreshIfPending(client, projection.index);
    await promote(client, projection.index);
    return result;
  }
  if (options.delayMs) await sleep(options.delayMs);

  // The page holds only the projection's own event types (`types` above).
  const relevant = page.events as ShopStoredEvent[];
  let rejected: Rejection[] = [];
  try {
    // A live batch refreshes the shards it wrote rather than waiting for the next scheduled refresh
    // (`wait_for`): batches run one after another, so with wait_for the events that arrived during one wait
    // sat out the next wait too, and lag reached two refresh intervals (1.7–2.2 s at 100 commands/s in the
    // benchmarks). A refresh leaves a small segment that Elasticsearch merges away; it costs at most one per
    // loop turn, which a shop's write rate affords. A full batch means more is waiting (a rebuild, a
    // backlog): it skips the refresh, and the next short batch, or the refresh once caught up, makes those
    // documents searchable together.
    const refresh = page.read < options.batchSize;
    rejected = relevant.length > 0 ? await index(client, projection, relevant, refresh) : [];
    if (relevant.length > 0) markRefresh(client, projection.index, refresh === false);
  } catch (error) {
    // Someone deleted the index under us: ensure it again on the next try instead of failing forever.
    if (isMissingIndex(error)) forgetIndex(client, projection.index);
    throw error;
  }

  if (rejected.length === 0) {
    await advanceCheckpoint(orm, projection.name, from, page.checkpoint);
    return result;
  }
  // The rejected documents are recorded only by the instance whose checkpoint move wins.
  await orm.transaction(async (tx) => {
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
    if (!(await advanceCheckpoint(tx, projection.name, from, page.checkpoint))) tx.rollback();
  }).catch((error: unknown) => {
    if (!(error instanceof TransactionRollbackError)) throw error;
  });
  return result;
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

async function index(
  client: Client,
  projection: SearchProjection,
  events: ShopStoredEvent[],
  refresh: boolean,
): Promise<Rejection[]> {
  await ensureIndex(client, projection.index);
  // Writes go to this version's own index, never through the alias, which may still serve an older one.
  const target = physicalName(projection.index);
  const ids = [...new Set(events.map(projection.documentId))];
  const current = await client.mget<object>({ index: target, ids });
  const documents = new Map<string, { version: number; doc: object | null; event?: StoredEvent }>();
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
