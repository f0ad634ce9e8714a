import type { TRPCRouterRecord } from '@trpc/server';
import { runMode } from '@/server/run-mode';
import { publicProcedure } from '../trpc/init';

export const systemRouter = {
  /** Which backends the shop runs on, for the page footer. */
  runMode: publicProcedure.query(() => runMode()),
} satisfies TRPCRouterRecord;
