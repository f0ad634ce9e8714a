import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { findCustomer } from '@/projections/customers/query';
import { NotFoundError } from '@/domain';
import { cartCookie, customerCookie } from '../trpc/cookies';
import { publicProcedure } from '../trpc/init';

export const sessionRouter = {
  /** Who the browser shops as (the demo customer cookie); null until one is picked. */
  current: publicProcedure.query(({ ctx }) => ({ customerId: ctx.customerId, cartId: ctx.cartId })),

  /**
   * Picks the demo customer the browser shops as, among those the picker lists (the customers read model).
   * This is session state, not a domain change, so it sets cookies rather than dispatching a command. Real
   * sign-in replaces it later.
   */
  selectCustomer: publicProcedure.input(z.object({ customerId: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await findCustomer(ctx.db.orm, input.customerId))) {
      throw new NotFoundError(`No customer ${input.customerId} is registered.`);
    }
    ctx.setCookie(customerCookie, input.customerId);
    // A cart belongs to one customer: switching customer starts from an empty cart.
    ctx.setCookie(cartCookie, null);
    return { customerId: input.customerId };
  }),
} satisfies TRPCRouterRecord;
