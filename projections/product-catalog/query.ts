import { asc, count, desc, eq, inArray } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { productCatalogProjection } from './projection';
import { catalogProducts, type CatalogProduct } from './schema';

export const catalogPageSize = 24;

/** The orders a shopper can list the catalog in; `name` is the default. */
export const catalogSorts = ['name', 'price_asc', 'price_desc', 'newest'] as const;
export type CatalogSort = (typeof catalogSorts)[number];

// Every order ends on the product id, which is unique: rows that tie on price or name keep one order from one
// query to the next, so no product shows on two pages, or on none, as the shopper pages through.
const orderOf = {
  name: [asc(catalogProducts.name), asc(catalogProducts.productId)],
  price_asc: [asc(catalogProducts.priceCents), asc(catalogProducts.name), asc(catalogProducts.productId)],
  price_desc: [desc(catalogProducts.priceCents), asc(catalogProducts.name), asc(catalogProducts.productId)],
  newest: [desc(catalogProducts.listedAt), asc(catalogProducts.name), asc(catalogProducts.productId)],
} satisfies Record<CatalogSort, unknown[]>;

export type CatalogPage = {
  readonly checkpoint: string;
  readonly products: CatalogProduct[];
  readonly total: number;
  readonly categories: { name: string; count: number }[];
  readonly page: number;
  readonly pageSize: number;
  /** At least 1, so an empty catalog is "page 1 of 1". A page past the last one comes back empty. */
  readonly pageCount: number;
  readonly sort: CatalogSort;
};

/** One page of the catalog, optionally of one category, with every category's product count for the filter. */
export function listCatalog(
  db: Orm,
  options: { category?: string; page?: number; sort?: CatalogSort },
): Promise<CatalogPage> {
  return readSnapshot(db, async (tx) => {
    const page = Math.max(1, options.page ?? 1);
    const sort = options.sort ?? 'name';
    const where = options.category ? eq(catalogProducts.category, options.category) : undefined;
    // The checkpoint is read first: the rows that follow are at least that fresh.
    const checkpoint = await readCheckpointToken(tx, productCatalogProjection.name);
    const [products, [totals], categories] = await Promise.all([
      tx
        .select()
        .from(catalogProducts)
        .where(where)
        .orderBy(...orderOf[sort])
        .limit(catalogPageSize)
        .offset((page - 1) * catalogPageSize),
      tx.select({ total: count() }).from(catalogProducts).where(where),
      tx
        .select({ name: catalogProducts.category, count: count() })
        .from(catalogProducts)
        .groupBy(catalogProducts.category)
        .orderBy(asc(catalogProducts.category)),
    ]);
    const total = totals?.total ?? 0;
    const pageCount = Math.max(1, Math.ceil(total / catalogPageSize));
    return { checkpoint, products, total, categories, page, pageSize: catalogPageSize, pageCount, sort };
  });
}

export function getCatalogProduct(
  db: Orm,
  productId: string,
): Promise<{ checkpoint: string; product: CatalogProduct | null }> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, productCatalogProjection.name);
    const [product] = await tx.select().from(catalogProducts).where(eq(catalogProducts.productId, productId));
    return { checkpoint, product: product ?? null };
  });
}

export type ProductAvailability = { readonly category: string; readonly stock: number };

/**
 * What the catalog says of a few products now: their category and stock, keyed by id. A product the catalog
 * does not know (yet) is missing from the map. Read outside any other read model's snapshot: the cart's lines
 * and the catalog's stock come from two read models, each as fresh as its own checkpoint.
 */
export function getProductAvailability(db: Orm, productIds: readonly string[]): Promise<Map<string, ProductAvailability>> {
  return readSnapshot(db, async (tx) => {
    if (productIds.length === 0) return new Map();
    const rows = await tx
      .select({ productId: catalogProducts.productId, category: catalogProducts.category, stock: catalogProducts.stock })
      .from(catalogProducts)
      .where(inArray(catalogProducts.productId, [...productIds]));
    return new Map(rows.map((row) => [row.productId, { category: row.category, stock: row.stock }]));
  });
}
