import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { priceBandKeys } from '@/common';
import { publicProcedure } from '../trpc/init';

export const searchRouter = {
  /** The storefront's product search, from the Elasticsearch products index. */
  products: publicProcedure
    .input(
      z.object({
        text: z.string().trim().max(200).optional(),
        category: z.string().min(1).max(100).optional(),
        priceBand: z.enum(priceBandKeys).optional(),
        sort: z.enum(['relevance', 'price_asc', 'price_desc']).default('relevance'),
        page: z.number().int().min(1).max(400).default(1),
      }),
    )
    .query(({ ctx, input }) => ctx.search.products(ctx.db.orm, input)),
} satisfies TRPCRouterRecord;
