import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { catalogSorts, getCatalogProduct, listCatalog } from '@/projections/product-catalog/query';
import { publicProcedure } from '../trpc/init';

export const catalogRouter = {
  list: publicProcedure
    .input(
      z.object({
        category: z.string().min(1).max(100).optional(),
        page: z.number().int().min(1).max(1000).optional(),
        // An order the catalog does not know is a bad request (400), never passed on to the query.
        sort: z.enum(catalogSorts, `Sort by one of: ${catalogSorts.join(', ')}.`).optional(),
      }),
    )
    .query(({ ctx, input }) => listCatalog(ctx.db.orm, input)),

  product: publicProcedure
    .input(z.object({ productId: z.uuid() }))
    .query(({ ctx, input }) => getCatalogProduct(ctx.db.orm, input.productId)),
} satisfies TRPCRouterRecord;
