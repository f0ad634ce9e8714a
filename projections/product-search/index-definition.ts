import type { SearchIndex } from '../runtime/elasticsearch/search-index';

export type ProductDocument = {
  productId: string;
  name: string;
  description: string;
  category: string;
  priceCents: number;
  stock: number;
  listedAt: string;
};

/**
 * Only what every production cluster has: the `standard` analyzer (no analysis-common module needed), core
 * field types and aggregations. `dynamic: strict` makes a document with a field the mapping does not know a
 * rejection we record, instead of a silent mapping change.
 */
export function productsIndex(prefix: string): SearchIndex<ProductDocument> {
  return {
    alias: `${prefix}_products`,
    version: 1,
    mappings: {
      dynamic: 'strict',
      properties: {
        productId: { type: 'keyword' },
        name: { type: 'text', analyzer: 'standard', fields: { sort: { type: 'keyword', normalizer: 'lowercase' } } },
        description: { type: 'text', analyzer: 'standard' },
        category: { type: 'keyword' },
        priceCents: { type: 'integer' },
        stock: { type: 'integer' },
        listedAt: { type: 'date' },
      },
    },
  };
}
