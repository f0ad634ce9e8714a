import type { ShopEventOf, ShopEventType } from '@/domain';
import type { ShopStoredEvent } from '../projection';
import type { SearchIndex } from './search-index';

type Reducers<Doc> = {
  [T in ShopEventType]?: (doc: Doc | null, event: ShopStoredEvent<T> & { data: ShopEventOf<T>['data'] }) => Doc | null;
};

/**
 * An Elasticsearch read model. Each document mirrors one event stream (a product, an order): the events of
 * that stream fold into the document, and the stream version becomes the document's external version, so
 * Elasticsearch itself refuses to let a replayed or late batch move a document backwards.
 */
export type SearchProjection<Doc extends object = object> = {
  readonly kind: 'elasticsearch';
  /** Also the checkpoint's key (in PostgreSQL, beside the other projections'). */
  readonly name: string;
  readonly index: SearchIndex;
  readonly handles: ReadonlySet<string>;
  /** The document an event belongs to. */
  readonly documentId: (event: ShopStoredEvent) => string;
  // Method syntax on purpose: it lets a projection of one document type stand in a list of any projections.
  reduce(doc: Doc | null, event: ShopStoredEvent): Doc | null;
};

/**
 * `name` is the read model's name; the checkpoint key adds the index version (`product_search_v1`), so a
 * mapping change starts a fresh checkpoint that fills the new index beside the old one.
 */
export function defineSearchProjection<Doc extends object>(definition: {
  name: string;
  index: SearchIndex;
  documentId: (event: ShopStoredEvent) => string;
  reducers: Reducers<Doc>;
}): SearchProjection<Doc> {
  const reducers = definition.reducers as Record<string, (doc: Doc | null, event: ShopStoredEvent) => Doc | null>;
  return {
    kind: 'elasticsearch',
    name: `${definition.name}_v${definition.index.version}`,
    index: definition.index,
    handles: new Set(Object.keys(reducers)),
    documentId: definition.documentId,
    reduce: (doc, event) => reducers[event.type]?.(doc, event) ?? doc,
  };
}
