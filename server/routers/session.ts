import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc/init';

export const sessionRouter = {
  /** Who the browser shops as (the demo customer cookie); null until one is picked. */
  current: publicProcedure.query(({ ctx }) => ({ customerId: ctx.customerId, cartId: ctx.cartId })),
} satisfies TRPCRouterRecord;
