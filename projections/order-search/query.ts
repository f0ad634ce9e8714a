import type { Client, estypes } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import type { OrderStatus } from '@/domain';
import { readCheckpointToken } from '@/db/event-store';
import { isMissingIndex, isUnavailable } from '../runtime/elasticsearch/client';
import type { OrderDocument } from './index-definition';
import type { orderSearchProjection } from './projection';

export type OrderSearchInput = {
  customerId: string;
  text?: string;
  status?: OrderStatus;
  /** Inclusive calendar days (UTC), `YYYY-MM-DD`. */
  placedFrom?: string;
  placedTo?: string;
};

export type OrderSearchResult = {
  readonly checkpoint: string;
  readonly available: boolean;
  readonly total: number;
  readonly orders: OrderDocument[];
};

/** A customer's orders matching a product name (typo-tolerant), a status and a date range, newest first. */
export async function searchOrders(
  db: Orm,
  client: Client,
  projection: ReturnType<typeof orderSearchProjection>,
  input: OrderSearchInput,
): Promise<OrderSearchResult> {
  const checkpoint = await readCheckpointToken(db, projection.name);
  const filter: estypes.QueryDslQueryContainer[] = [{ term: { customerId: input.customerId } }];
  if (input.status) filter.push({ term: { status: input.status } });
  if (input.placedFrom || input.placedTo) {
    filter.push({ range: { placedAt: { gte: input.placedFrom, lte: input.placedTo, format: 'yyyy-MM-dd' } } });
  }
  const text = input.text?.trim();
  const must: estypes.QueryDslQueryContainer[] = text
    ? [{ match: { productNames: { query: text, fuzziness: 'AUTO', operator: 'and' } } }]
    : [];
  try {
    const response = await client.search<OrderDocument>({
      index: projection.index.alias,
      query: { bool: { filter, must } },
      sort: [{ placedAt: 'desc' }, { orderId: 'asc' }],
      size: 100,
      track_total_hits: true,
    });
    const total = response.hits.total;
    return {
      checkpoint,
      available: true,
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      orders: response.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : [])),
    };
  } catch (error) {
    if (isUnavailable(error) || isMissingIndex(error)) return { checkpoint, available: false, total: 0, orders: [] };
    throw error;
  }
}
