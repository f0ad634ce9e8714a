import { createCallerFactory, createTRPCRouter } from '../trpc/init';
import { cartRouter } from './cart';
import { catalogRouter } from './catalog';
import { customersRouter } from './customers';
import { mailboxRouter } from './mailbox';
import { ordersRouter } from './orders';
import { operationsRouter } from './operations';
import { paymentsRouter } from './payments';
import { salesRouter } from './sales';
import { searchRouter } from './search';
import { sessionRouter } from './session';
import { systemRouter } from './system';

/**
 * Mutations dispatch commands and return a consistency token (session.selectCustomer only sets the session
 * cookies); queries read read models and their checkpoint.
 */
export const appRouter = createTRPCRouter({
  catalog: catalogRouter,
  search: searchRouter,
  cart: cartRouter,
  orders: ordersRouter,
  sales: salesRouter,
  customers: customersRouter,
  session: sessionRouter,
  operations: operationsRouter,
  payments: paymentsRouter,
  system: systemRouter,
  mailbox: mailboxRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
