import { asc, count, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { productCatalogProjection } from './projection';
import { catalogProducts, type CatalogProduct } from './schema';

export const catalogPageSize = 24;

export type CatalogPage = {
  readonly checkpoint: string;
  readonly products: CatalogProduct[];
  readonly total: number;
  readonly categories: { name: string; count: number }[];
  readonly pageSize: number;
};

/** One page of the catalog, optionally of one category, with every category's product count for the filter. */
export function listCatalog(
  db: Orm,
  options: { category?: string; page?: number },
): Promise<CatalogPage> {
  return readSnapshot(db, async (tx) => {
    const page = Math.max(1, options.page ?? 1);
    const where = options.category ? eq(catalogProducts.category, options.category) : undefined;
    // The checkpoint is read first: the rows that follow are at least that fresh.
    const checkpoint = await readCheckpointToken(tx, productCatalogProjection.name);
    const [products, [totals], categories] = await Promise.all([
      tx
        .select()
        .from(catalogProducts)
        .where(where)
        .orderBy(asc(catalogProducts.name), asc(catalogProducts.productId))
        .limit(catalogPageSize)
        .offset((page - 1) * catalogPageSize),
      tx.select({ total: count() }).from(catalogProducts).where(where),
      tx
        .select({ name: catalogProducts.category, count: count() })
        .from(catalogProducts)
        .groupBy(catalogProducts.category)
        .orderBy(asc(catalogProducts.category)),
    ]);
    return { checkpoint, products, total: totals?.total ?? 0, categories, pageSize: catalogPageSize };
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
