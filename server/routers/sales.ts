import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listDailySales } from '@/projections/daily-sales/query';
import { publicProcedure } from '../trpc/init';

export const salesRouter = {
  daily: publicProcedure
    .input(z.object({ days: z.number().int().min(1).max(366).default(30) }))
    .query(({ ctx, input }) => listDailySales(ctx.db.orm, { days: input.days, today: new Date() })),
} satisfies TRPCRouterRecord;
