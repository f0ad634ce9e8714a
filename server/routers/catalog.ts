import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { getCatalogProduct, listCatalog } from '@/projections/product-catalog/query';
import { publicProcedure } from '../trpc/init';

export const catalogRouter = {
  list: publicProcedure
    .input(z.object({ category: z.string().min(1).max(100).optional(), page: z.number().int().min(1).max(1000).optional() }))
    .query(({ ctx, input }) => listCatalog(ctx.db.orm, input)),

  product: publicProcedure
    .input(z.object({ productId: z.uuid() }))
    .query(({ ctx, input }) => getCatalogProduct(ctx.db.orm, input.productId)),
} satisfies TRPCRouterRecord;
