import type { Client, estypes } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { interactiveRequest } from '../runtime/elasticsearch/client';
import { classifySearchError, type SearchFailureListener } from '../runtime/elasticsearch/failures';
import type { ProductDocument } from './index-definition';
import { priceBands, type PriceBandKey } from '@/common/price-bands';
import type { productSearchProjection } from './projection';

export const searchPageSize = 24;

export type ProductSort = 'relevance' | 'price_asc' | 'price_desc';

export type ProductSearchInput = {
  text?: string;
  category?: string;
  priceBand?: PriceBandKey;
  sort?: ProductSort;
  page?: number;
};

export type ProductSearchResult = {
  readonly checkpoint: string;
  /**
   * False when Elasticsearch could not answer, for whatever reason (`classifySearchError`): the page says
   * search is catching up. Why is for the log and the status page, never for the shopper.
   */
  readonly available: boolean;
  readonly total: number;
  readonly pageSize: number;
  readonly products: ProductDocument[];
  readonly categories: { name: string; count: number }[];
  readonly priceBands: { key: PriceBandKey; label: string; count: number }[];
};

/**
 * Full text over name (boosted), category and description, forgiving one typo per word, with the last
 * word matched as a prefix so results appear while typing. Facet counts follow the usual faceted-search
 * rule: each facet is counted under every filter except its own, so picking a category still shows how
 * many products each other category has.
 */
export async function searchProducts(
  db: Orm,
  client: Client,
  projection: ReturnType<typeof productSearchProjection>,
  input: ProductSearchInput,
  onFailure?: SearchFailureListener,
): Promise<ProductSearchResult> {
  const checkpoint = await readCheckpointToken(db, projection.name);
  const page = Math.max(1, input.page ?? 1);
  const text = input.text?.trim();
  const query: estypes.QueryDslQueryContainer = text
    ? {
        bool: {
          should: [
            {
              multi_match: {
                query: text,
                fields: ['name^3', 'category^2', 'description'],
                fuzziness: 'AUTO',
                operator: 'and',
              },
            },
            // Search as you type: every word must match, the last one as a prefix ("walnut tea").
            { multi_match: { query: text, type: 'bool_prefix', fields: ['name^2', 'category'], operator: 'and' } },
            { match_phrase: { name: { query: text, boost: 4 } } },
          ],
          minimum_should_match: 1,
        },
      }
    : { match_all: {} };
  const band = priceBands.find((candidate) => candidate.key === input.priceBand);
  const categoryFilter: estypes.QueryDslQueryContainer[] = input.category ? [{ term: { category: input.category } }] : [];
  const priceFilter: estypes.QueryDslQueryContainer[] = band
    ? [{ range: { priceCents: { gte: 'from' in band ? band.from : undefined, lt: 'to' in band ? band.to : undefined } } }]
    : [];
  const sort: estypes.Sort =
    input.sort === 'price_asc'
      ? [{ priceCents: 'asc' }, { 'name.sort': 'asc' }]
      : input.sort === 'price_desc'
        ? [{ priceCents: 'desc' }, { 'name.sort': 'asc' }]
        : text
          ? ['_score', { 'name.sort': 'asc' }]
          : [{ 'name.sort': 'asc' }];

  try {
    const response = await client.search<ProductDocument>({
      index: projection.index.alias,
      query,
      post_filter: { bool: { filter: [...categoryFilter, ...priceFilter] } },
      sort,
      from: (page - 1) * searchPageSize,
      size: searchPageSize,
      track_total_hits: true,
      aggs: {
        categories: {
          filter: { bool: { filter: priceFilter } },
          aggs: { names: { terms: { field: 'category', size: 50, order: { _key: 'asc' } } } },
        },
        prices: {
          filter: { bool: { filter: categoryFilter } },
          aggs: {
            bands: {
              range: {
                field: 'priceCents',
                keyed: true,
                ranges: priceBands.map((b) => ({ key: b.key, from: 'from' in b ? b.from : undefined, to: 'to' in b ? b.to : undefined })),
              },
            },
          },
        },
      },
    }, interactiveRequest);
    const aggs = response.aggregations as
      | {
          categories: { names: { buckets: { key: string; doc_count: number }[] } };
          prices: { bands: { buckets: Record<string, { doc_count: number }> } };
        }
      | undefined;
    const total = response.hits.total;
    return {
      checkpoint,
      available: true,
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      pageSize: searchPageSize,
      products: response.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : [])),
      categories: (aggs?.categories.names.buckets ?? []).map((b) => ({ name: b.key, count: b.doc_count })),
      priceBands: priceBands.map((b) => ({ key: b.key, label: b.label, count: aggs?.prices.bands.buckets[b.key]?.doc_count ?? 0 })),
    };
  } catch (error) {
    // Down, starting, red, closed, overloaded, or not created yet (the projection has not run): one answer.
    const failure = classifySearchError(error);
    if (!failure) throw error;
    onFailure?.(failure, error);
    return { checkpoint, available: false, total: 0, pageSize: searchPageSize, products: [], categories: [], priceBands: [] };
  }
}
