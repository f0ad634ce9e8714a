import type { TRPCRouterRecord } from '@trpc/server';
import { testCards } from '@/services/payment-gateway/client';
import { publicProcedure } from '../trpc/init';

export const paymentsRouter = {
  /**
   * The cards the payment gateway simulator knows, each with what a charge on it does, for the checkout form to
   * offer: the shop is a demo, and these provoke every outcome on purpose. Not a read model, so no checkpoint.
   */
  testCards: publicProcedure.query(() => testCards.map(({ number, label, outcome }) => ({ number, label, outcome }))),
} satisfies TRPCRouterRecord;
