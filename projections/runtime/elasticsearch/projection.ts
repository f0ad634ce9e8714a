import type { ShopEventType } from '@/domain';
import type { ShopStoredEvent } from '../projection';
import type { SearchIndex } from './search-index';

type Reducers<Doc, T extends ShopEventType> = {
  // The document type comes from the index alone: a reducer's result must fit it, not widen it.
  [K in T]: (doc: NoInfer<Doc> | null, event: ShopStoredEvent<K>) => NoInfer<Doc> | null;
};

/**
 * An Elasticsearch read model. Each document mirrors one event stream (a product, an order): the events of
 * that stream fold into the document, and the stream version becomes the document's external version, so
 * Elasticsearch itself refuses to let a replayed or late batch move a document backwards. `searchConsumer`
 * (`indexing.ts`) runs it on the consumer engine against a client.
 */
export type SearchProjection<Doc extends object = object, T extends ShopEventType = ShopEventType> = {
  /** Also the checkpoint's key (in PostgreSQL, beside the other consumers'). */
  readonly name: string;
  readonly index: SearchIndex<Doc>;
  readonly handles: readonly T[];
  // Method syntax on purpose: it lets a projection of some event types stand in a list of any projections.
  /** The document an event belongs to. */
  documentId(event: ShopStoredEvent<T>): string;
  reduce(doc: Doc | null, event: ShopStoredEvent<T>): Doc | null;
};

/**
 * `name` is the read model's name; the checkpoint key adds the index version (`product_search_v1`), so a
 * mapping change starts a fresh checkpoint that fills the new index beside the old one. The event types it
 * handles are the reducers' keys, and each reducer receives its own type's events; the document type is the
 * index's.
 */
export function defineSearchProjection<Doc extends object, T extends ShopEventType>(definition: {
  name: string;
  index: SearchIndex<Doc>;
  documentId: (event: ShopStoredEvent<T>) => string;
  reducers: Reducers<Doc, T>;
}): SearchProjection<Doc, T> {
  // Each reducer is called only with events of its own type, which is what `Reducers` promises.
  const reducers = definition.reducers as unknown as Record<string, (doc: Doc | null, event: ShopStoredEvent<T>) => Doc | null>;
  return {
    name: `${definition.name}_v${definition.index.version}`,
    index: definition.index,
    handles: Object.keys(reducers) as T[],
    documentId: definition.documentId,
    reduce: (doc, event) => reducers[event.type]?.(doc, event) ?? doc,
  };
}
