import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from '@/server/routers';
import { useRouterHarness, type Browser } from '@/server/testing';

/**
 * Who may call each procedure, in one table. A procedure added without a line here fails the first test, so
 * nobody adds one without deciding who may call it.
 */
const access = {
  'catalog.list': 'public',
  'catalog.product': 'public',
  'search.products': 'public',
  'session.current': 'public',
  'session.signInOptions': 'public',
  'system.runMode': 'public',
  // The bench's floor for the command endpoint: a mutation that does nothing (system.ts).
  'system.ping': 'public',
  'payments.testCards': 'public',
  // The development mailbox: everyone on a development shop, each their own mail otherwise (mailbox.ts).
  'mailbox.access': 'public',
  'mailbox.list': 'public',
  'mailbox.message': 'public',
  'cart.get': 'shopper',
  'cart.addItem': 'shopper',
  'cart.changeQuantity': 'shopper',
  'cart.removeItem': 'shopper',
  'cart.checkOut': 'customer',
  'orders.history': 'customer',
  'orders.search': 'customer',
  'orders.detail': 'customer',
  'orders.timeline': 'customer',
  'orders.asOf': 'customer',
  'orders.cancel': 'customer',
  'backOffice.catalog.list': 'staff',
  'backOffice.catalog.products': 'staff',
  'backOffice.catalog.reprice': 'staff',
  'backOffice.catalog.restock': 'staff',
  'backOffice.orders.customers': 'staff',
  'backOffice.orders.search': 'staff',
  'backOffice.orders.trace': 'staff',
  'operations.status': 'staff',
  'operations.lagHistory': 'staff',
  'operations.broker': 'staff',
  'operations.processCounts': 'staff',
  'operations.parkedProcesses': 'staff',
  'operations.retryFulfillment': 'staff',
  'operations.cancelFulfillment': 'staff',
  'operations.horizon': 'staff',
  'operations.pauseConsumer': 'staff',
  'operations.resumeConsumer': 'staff',
  'rebuilds.list': 'staff',
  'rebuilds.start': 'staff',
  'rebuilds.cancel': 'staff',
  'deadLetters.list': 'staff',
  'deadLetters.retry': 'staff',
  'deadLetters.skip': 'staff',
  'sales.report': 'staff',
  'streams.recent': 'staff',
  'streams.read': 'staff',
  'streams.trace': 'staff',
} as const satisfies Record<string, 'public' | 'shopper' | 'customer' | 'staff'>;

type Level = (typeof access)[keyof typeof access];

const harness = useRouterHarness();

/** Calls a procedure by its path with an input that is at most half right: only who may call it matters here. */
async function call(browser: Browser, path: string): Promise<TRPCError | null> {
  const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], harness.request(browser).api);
  try {
    await (procedure as (input: unknown) => Promise<unknown>)({});
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
}

const refusals = new Set(['UNAUTHORIZED', 'FORBIDDEN']);

describe('who may call each procedure', () => {
  it('has a line for every procedure of the API', () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(access).sort());
  });

  const cases = Object.entries(access) as [string, Level][];

  it.each(cases)('%s (%s): a visitor who is not signed in', async (path, level) => {
    const error = await call({ customerId: null, cartId: null }, path);
    if (level === 'customer' || level === 'staff') expect(error?.code).toBe('UNAUTHORIZED');
    else expect(refusals.has(error?.code ?? '')).toBe(false);
  });

  it.each(cases)('%s (%s): a signed-in customer', async (path, level) => {
    const error = await call({ customerId: harness.customers.maya, cartId: null }, path);
    if (level === 'staff') {
      expect(error?.code).toBe('FORBIDDEN');
      expect(error?.message).toBe('This is for staff only.');
    } else expect(refusals.has(error?.code ?? ''), `${path} refused a customer: ${error?.message}`).toBe(false);
  });

  it.each(cases)('%s (%s): staff', async (path) => {
    const error = await call({ customerId: harness.customers.staff, cartId: null }, path);
    expect(refusals.has(error?.code ?? ''), `${path} refused staff: ${error?.message}`).toBe(false);
  });
});
