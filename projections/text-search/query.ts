import { and, asc, count, desc, eq, getTableColumns, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import {
  customerSearchSize,
  orderIdPrefix,
  type AllOrdersSearchInput,
  type OrderFilters,
  type OrderSearchInput,
  type OrderSearchResult,
} from '../order-search/query';
import { priceBands } from '@/common/price-bands';
import { searchPageSize, type ProductSearchInput, type ProductSearchResult } from '../product-search/query';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { textSearchProjection } from './projection';
import { textSearchOrders, textSearchProducts } from './schema';

/**
 * The words of a query as a prefix tsquery ("walnut tea" → every word matches as a prefix), so results
 * appear while typing. Each word is tried through the English dictionary (stemmed: "mugs" finds "Mug") and
 * as typed, since the English configuration drops stop words ("a", "in") that may be the start of a word
 * ("Arc", "Infuser"). Only letters and digits are kept, so any input makes a valid query; text with no
 * words at all matches nothing, as in the Elasticsearch read model.
 */
function prefixQuery(text: string | undefined): SQL | null {
  if (!text?.trim()) return null;
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return sql`''::tsquery`;
  return sql.join(
    words.map((word) => sql`(to_tsquery('english', ${`${word}:*`}) || to_tsquery('simple', ${`${word}:*`}))`),
    sql` && `,
  );
}

function priceRange(key: string | undefined): SQL | undefined {
  const band = priceBands.find((candidate) => candidate.key === key);
  if (!band) return undefined;
  return and(
    'from' in band ? gte(textSearchProducts.priceCents, band.from) : undefined,
    'to' in band ? lt(textSearchProducts.priceCents, band.to) : undefined,
  );
}

/** Product search with the same answers (shape, facets, sorts) as the Elasticsearch read model. */
export function searchProductsByText(db: Orm, input: ProductSearchInput): Promise<ProductSearchResult> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, textSearchProjection.name);
    const page = Math.max(1, input.page ?? 1);
    const tsquery = prefixQuery(input.text);
    const matches = tsquery ? sql`${textSearchProducts.document} @@ (${tsquery})` : undefined;
    const inCategory = input.category ? eq(textSearchProducts.category, input.category) : undefined;
    const inBand = priceRange(input.priceBand);
    // Names sort without regard to case, like the Elasticsearch read model's lowercase-normalised name.sort.
    const byName = asc(sql`lower(${textSearchProducts.name})`);
    const order =
      input.sort === 'price_asc'
        ? [asc(textSearchProducts.priceCents), byName]
        : input.sort === 'price_desc'
          ? [desc(textSearchProducts.priceCents), byName]
          : tsquery
            ? [desc(sql`ts_rank(${textSearchProducts.document}, (${tsquery}))`), byName]
            : [byName];
    // Everything but the search document itself.
    const { document: _document, ...columns } = getTableColumns(textSearchProducts);
    const [rows, [totals], categories, bands] = await Promise.all([
      tx
        .select(columns)
        .from(textSearchProducts)
        .where(and(matches, inCategory, inBand))
        .orderBy(...order)
        .limit(searchPageSize)
        .offset((page - 1) * searchPageSize),
      tx.select({ total: count() }).from(textSearchProducts).where(and(matches, inCategory, inBand)),
      // Each facet is counted under every filter except its own, as in the Elasticsearch read model.
      tx
        .select({ name: textSearchProducts.category, count: count() })
        .from(textSearchProducts)
        .where(and(matches, inBand))
        .groupBy(textSearchProducts.category)
        .orderBy(asc(textSearchProducts.category)),
      Promise.all(
        priceBands.map(async (band) => {
          const [row] = await tx
            .select({ count: count() })
            .from(textSearchProducts)
            .where(and(matches, inCategory, priceRange(band.key)));
          return { key: band.key, label: band.label, count: row?.count ?? 0 };
        }),
      ),
    ]);
    return {
      checkpoint,
      available: true,
      total: totals?.total ?? 0,
      pageSize: searchPageSize,
      products: rows.map((row) => ({ ...row, listedAt: row.listedAt.toISOString() })),
      categories,
      priceBands: bands,
    };
  });
}

/** Order search with the same answers as the Elasticsearch read model. */
export function searchOrdersByText(db: Orm, input: OrderSearchInput): Promise<OrderSearchResult> {
  return runOrderSearch(db, input, { customerId: input.customerId, offset: 0, limit: customerSearchSize, byId: false });
}

/** The back office's search over every customer's orders, with the same answers as the Elasticsearch read model. */
export function searchAllOrdersByText(db: Orm, input: AllOrdersSearchInput): Promise<OrderSearchResult> {
  const offset = (input.page - 1) * input.pageSize;
  return runOrderSearch(db, input, { customerId: input.customerId, offset, limit: input.pageSize, byId: true });
}

function runOrderSearch(
  db: Orm,
  input: OrderFilters,
  scope: { customerId: string | undefined; offset: number; limit: number; byId: boolean },
): Promise<OrderSearchResult> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, textSearchProjection.name);
    const tsquery = prefixQuery(input.text);
    const byName = tsquery ? sql`${textSearchOrders.document} @@ (${tsquery})` : undefined;
    const idPrefix = scope.byId ? orderIdPrefix(input.text) : null;
    // A prefix is matched literally: `like` would read `_` and `%` in it as wildcards, and only hex and `-` pass.
    const matches = idPrefix ? or(byName, sql`starts_with(${textSearchOrders.orderId}, ${idPrefix})`) : byName;
    const where = and(
      scope.customerId !== undefined ? eq(textSearchOrders.customerId, scope.customerId) : undefined,
      input.status ? eq(textSearchOrders.status, input.status) : undefined,
      input.placedFrom ? gte(textSearchOrders.placedAt, new Date(`${input.placedFrom}T00:00:00.000Z`)) : undefined,
      input.placedTo ? lte(textSearchOrders.placedAt, new Date(`${input.placedTo}T23:59:59.999Z`)) : undefined,
      matches,
    );
    const rows = await tx
      .select()
      .from(textSearchOrders)
      .where(where)
      .orderBy(desc(textSearchOrders.placedAt), asc(textSearchOrders.orderId))
      .limit(scope.limit)
      .offset(scope.offset);
    const [totals] = await tx.select({ total: count() }).from(textSearchOrders).where(where);
    return {
      checkpoint,
      available: true,
      total: totals?.total ?? 0,
      orders: rows.map((row) => ({
        orderId: row.orderId,
        customerId: row.customerId,
        status: row.status,
        productNames: row.productNames,
        itemCount: row.itemCount,
        totalCents: row.totalCents,
        placedAt: row.placedAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      })),
    };
  });
}
