import type { TRPCRouterRecord } from '@trpc/server';
import { readProjectionStatus } from '@/projections/status';
import { publicProcedure } from '../trpc/init';

export const operationsRouter = {
  /** Every projection's checkpoint, backlog and failed documents. Staff-only once sign-in arrives. */
  status: publicProcedure.query(({ ctx }) => readProjectionStatus(ctx.db.orm)),
} satisfies TRPCRouterRecord;
