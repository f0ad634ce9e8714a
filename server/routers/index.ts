import { createCallerFactory, createTRPCRouter } from '../trpc/init';
import { backOfficeRouter } from './back-office';
import { cartRouter } from './cart';
import { catalogRouter } from './catalog';
import { deadLettersRouter } from './dead-letters';
import { mailboxRouter } from './mailbox';
import { ordersRouter } from './orders';
import { operationsRouter } from './operations';
import { paymentsRouter } from './payments';
import { rebuildsRouter } from './rebuilds';
import { salesRouter } from './sales';
import { searchRouter } from './search';
import { sessionRouter } from './session';
import { streamsRouter } from './streams';
import { systemRouter } from './system';

/**
 * Mutations dispatch commands and return a consistency token; queries read read models and their checkpoint.
 * Signing in and out is better-auth's (/api/auth), outside this router.
 */
export const appRouter = createTRPCRouter({
  catalog: catalogRouter,
  search: searchRouter,
  cart: cartRouter,
  orders: ordersRouter,
  sales: salesRouter,
  session: sessionRouter,
  operations: operationsRouter,
  rebuilds: rebuildsRouter,
  deadLetters: deadLettersRouter,
  payments: paymentsRouter,
  system: systemRouter,
  mailbox: mailboxRouter,
  backOffice: backOfficeRouter,
  streams: streamsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
