import type { Client, estypes } from '@elastic/elasticsearch';
import type { Orm } from '@/db/client';
import type { OrderStatus } from '@/domain';
import { readCheckpointToken } from '@/db/event-store';
import { interactiveRequest } from '../runtime/elasticsearch/client';
import { classifySearchError, type SearchFailureListener } from '../runtime/elasticsearch/failures';
import type { OrderDocument } from './index-definition';
import type { orderSearchProjection } from './projection';

/** What both order searches filter by. */
export type OrderFilters = {
  text?: string;
  status?: OrderStatus;
  /** Inclusive calendar days (UTC), `YYYY-MM-DD`. */
  placedFrom?: string;
  placedTo?: string;
};

/** A customer's own search: always within one customer's orders. */
export type OrderSearchInput = OrderFilters & { customerId: string };

/**
 * The back office's search: every customer's orders, or one customer's, a page at a time. The text matches
 * product names, or the start of an order id (staff read ids off the trace and the processes list).
 */
export type AllOrdersSearchInput = OrderFilters & { customerId?: string; page: number; pageSize: number };

export type OrderSearchResult = {
  readonly checkpoint: string;
  /** False when Elasticsearch could not answer, for whatever reason: the page says search is catching up. */
  readonly available: boolean;
  readonly total: number;
  readonly orders: OrderDocument[];
};

/** A customer's orders: the first hundred matches (a shopper's history is short), newest first. */
export const customerSearchSize = 100;

/** A text that could be the start of an order id (a UUID): hex digits and dashes, from four characters on. */
export function orderIdPrefix(text: string | undefined): string | null {
  const prefix = text?.trim().toLowerCase();
  return prefix && /^[0-9a-f-]{4,36}$/.test(prefix) ? prefix : null;
}

/** A customer's orders matching a product name (typo-tolerant), a status and a date range, newest first. */
export function searchOrders(
  db: Orm,
  client: Client,
  projection: ReturnType<typeof orderSearchProjection>,
  input: OrderSearchInput,
  onFailure?: SearchFailureListener,
): Promise<OrderSearchResult> {
  const scope = { customerId: input.customerId, from: 0, size: customerSearchSize, byId: false };
  return runOrderSearch(db, client, projection, input, scope, onFailure);
}

/** Every customer's orders (or one customer's), filtered like a customer's search, one page, newest first. */
export function searchAllOrders(
  db: Orm,
  client: Client,
  projection: ReturnType<typeof orderSearchProjection>,
  input: AllOrdersSearchInput,
  onFailure?: SearchFailureListener,
): Promise<OrderSearchResult> {
  const from = (input.page - 1) * input.pageSize;
  return runOrderSearch(db, client, projection, input, { customerId: input.customerId, from, size: input.pageSize, byId: true }, onFailure);
}

async function runOrderSearch(
  db: Orm,
  client: Client,
  projection: ReturnType<typeof orderSearchProjection>,
  input: OrderFilters,
  scope: { customerId: string | undefined; from: number; size: number; byId: boolean },
  onFailure: SearchFailureListener | undefined,
): Promise<OrderSearchResult> {
  const checkpoint = await readCheckpointToken(db, projection.name);
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (scope.customerId !== undefined) filter.push({ term: { customerId: scope.customerId } });
  if (input.status) filter.push({ term: { status: input.status } });
  if (input.placedFrom || input.placedTo) {
    filter.push({ range: { placedAt: { gte: input.placedFrom, lte: input.placedTo, format: 'yyyy-MM-dd' } } });
  }
  const text = input.text?.trim();
  const byName: estypes.QueryDslQueryContainer = { match: { productNames: { query: text ?? '', fuzziness: 'AUTO', operator: 'and' } } };
  const idPrefix = scope.byId ? orderIdPrefix(text) : null;
  const must: estypes.QueryDslQueryContainer[] = !text
    ? []
    : idPrefix
      ? [{ bool: { should: [byName, { prefix: { orderId: idPrefix } }], minimum_should_match: 1 } }]
      : [byName];
  try {
    const response = await client.search<OrderDocument>({
      index: projection.index.alias,
      query: { bool: { filter, must } },
      sort: [{ placedAt: 'desc' }, { orderId: 'asc' }],
      from: scope.from,
      size: scope.size,
      track_total_hits: true,
    }, interactiveRequest);
    const total = response.hits.total;
    return {
      checkpoint,
      available: true,
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      orders: response.hits.hits.flatMap((hit) => (hit._source ? [hit._source] : [])),
    };
  } catch (error) {
    const failure = classifySearchError(error);
    if (!failure) throw error;
    onFailure?.(failure, error);
    return { checkpoint, available: false, total: 0, orders: [] };
  }
}
