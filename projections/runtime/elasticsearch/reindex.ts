import type { Client } from '@elastic/elasticsearch';
import type { EventStore } from '@/db/event-store';
import type { ShopEventType } from '@/domain';
import type { ShopStoredEvent } from '../projection';
import { classifySearchError, describeRefusal, describingFailures, SearchUnavailableError } from './failures';
import type { SearchProjection } from './projection';
import { ensureIndex, physicalName } from './search-index';

/** A retry's answer: written, or why not, in the dead letter's words (`error`, `detail`). */
export type RedeliveryOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly detail?: string };

/**
 * How often a retry folds the document again when a newer version reached the index between its read of the
 * log and its write: each round reads the newer events too, so more than a few rounds means the stream is
 * busier than a retry should race with.
 */
const foldRounds = 3;

/**
 * Writes one search document again, from the log: the retry of a dead letter (db/dead-letters.ts). The
 * document is folded from every event of its stream up to the newest, not patched with the refused event,
 * because the live consumer may have folded later events onto the copy that lacked it.
 *
 * It is written under the version of the last event folded, as `external_gte`: Elasticsearch takes it over a
 * document of the same version (the copy the live consumer wrote without the refused event) and refuses it
 * over a newer one, so a retry can never move a document back. A newer one arrived while this was folding:
 * fold again, up to `foldRounds` times; refused with nothing newer in the log, it stops there. Elasticsearch still refusing the document, or being unavailable, is
 * an outcome (the dead letter stays open with why), not an error.
 */
export async function reindexDocument<Doc extends object, T extends ShopEventType>(
  client: Client,
  store: EventStore,
  projection: SearchProjection<Doc, T>,
  document: { readonly streamId: string; readonly target: string },
): Promise<RedeliveryOutcome> {
  try {
    await describingFailures('Preparing the index', () => ensureIndex(client, projection.index));
    let previous = 0;
    for (let round = 0; round < foldRounds; round++) {
      const folded = await fold(store, projection, document);
      if (!folded) return { ok: false, error: `The log holds no ${projection.name} document ${document.target} in ${document.streamId}.` };
      // Refused again with no newer event in the log: the index holds a version the log has not reached.
      if (folded.version === previous) {
        return { ok: false, error: `The index holds a newer version of ${document.target} than the log's ${previous}; nothing was overwritten.` };
      }
      previous = folded.version;
      const written = await describingFailures('Writing the document', () =>
        client
          .index({
            index: physicalName(projection.index),
            id: document.target,
            document: folded.doc,
            version: folded.version,
            version_type: 'external_gte',
            refresh: true,
          })
          .then(
            () => true,
            (error: unknown) => {
              if (isVersionConflict(error)) return false;
              throw error;
            },
          ),
      );
      if (written) return { ok: true };
    }
    return { ok: false, error: 'The document kept changing while it was written again; try again in a moment.' };
  } catch (error) {
    if (error instanceof SearchUnavailableError) {
      if (error.failure.kind !== 'refused') return { ok: false, error: error.message };
      const cause = (error.cause as { body?: { error?: Parameters<typeof describeRefusal>[1] } } | undefined)?.body?.error;
      return { ok: false, ...describeRefusal(error.failure.status, cause) };
    }
    throw error;
  }
}

/** The document as its stream's events build it now, under the stream version of the last one that touched it. */
async function fold<Doc extends object, T extends ShopEventType>(
  store: EventStore,
  projection: SearchProjection<Doc, T>,
  document: { readonly streamId: string; readonly target: string },
): Promise<{ doc: Doc; version: number } | null> {
  const handles = new Set<string>(projection.handles);
  let doc: Doc | null = null;
  let version = 0;
  for (const event of await store.readStream(document.streamId)) {
    if (!handles.has(event.type)) continue;
    // The stream's events of the types the projection handles, as the engine hands them to it.
    const handled = event as unknown as ShopStoredEvent<T>;
    if (projection.documentId(handled) !== document.target) continue;
    doc = projection.reduce(doc, handled);
    version = event.streamVersion;
  }
  return doc ? { doc, version } : null;
}

function isVersionConflict(error: unknown): boolean {
  const failure = classifySearchError(error);
  return failure?.kind === 'refused' && failure.status === 409;
}
