import type { TRPCRouterRecord } from '@trpc/server';
import { listCustomers } from '@/projections/customers/query';
import { publicProcedure } from '../trpc/init';

export const customersRouter = {
  list: publicProcedure.query(({ ctx }) => listCustomers(ctx.db.orm)),
} satisfies TRPCRouterRecord;
