import type { TRPCRouterRecord } from '@trpc/server';
import { publicProcedure } from '../trpc/init';

export const sessionRouter = {
  /**
   * Who is signed in (null for a guest) and the cart this browser fills. Signing in, up and out are
   * better-auth's endpoints under /api/auth; this only reads the session they leave.
   */
  current: publicProcedure.query(async ({ ctx }) => ({ viewer: await ctx.viewer(), cartId: ctx.cartId })),
} satisfies TRPCRouterRecord;
