import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inProcessTransport, type IntegrationTransport } from '@/contracts';
import { catchUp, type Consumer, type ConsumerSource } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import type { SqlClient } from '@/db/sql';
import type { FulfillmentPolicy, ShippingAddress } from '@/domain';
import { startShipmentInbox } from '@/integration/inbox';
import { integrationRelay } from '@/integration/relay';
import { addItemToCart, checkOutCart } from '@/server/commands/cart';
import { listProduct } from '@/server/commands/catalog';
import { registerCustomer } from '@/server/commands/customers';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { fraudCheckConsumer } from '@/reactors/fraud-check/consumer';
import type { PaymentGatewayClient } from '@/services/payment-gateway/client';
import { startWarehouse, warehouseCounts } from '@/services/warehouse';
import { fulfillmentConsumer } from './fulfillment/consumer';
import { paymentStepConsumer } from './payments/consumer';
import { processTimersProjection } from './timers/projection';
import { fireDueTimers } from './timers/service';

/**
 * Shared by the specs of the processes (and the router specs that need an order moved on): the consumers an
 * order passes through after checkout, and a loop that runs them until nothing more happens, the way the
 * worker would, one consumer at a time so a test can stop at any step.
 */

/**
 * Short pauses, and a handover window so a cancel can land: the integration specs' and the crashing worker's
 * policy. A minute's payment deadline stays out of the way of the retries (1 s, 2 s).
 */
export const quickPolicy: FulfillmentPolicy = {
  paymentDeadlineMs: 60_000,
  paymentRetryDelaysMs: [1_000, 2_000],
  statusCheckRetryDelaysMs: [1_000, 2_000],
  refundRetryDelaysMs: [1_000, 2_000],
  handoverDelayMs: 5_000,
  warehouseOverdueMs: 60_000,
  carrierDeliveryMs: 10_000,
};

/** A policy whose waits are all long: nothing is due unless a test says when "now" is. */
export const patientPolicy: FulfillmentPolicy = {
  paymentDeadlineMs: 60 * 60_000,
  paymentRetryDelaysMs: [1_000, 2_000],
  statusCheckRetryDelaysMs: [1_000, 2_000],
  refundRetryDelaysMs: [1_000, 2_000],
  handoverDelayMs: 60 * 60_000,
  warehouseOverdueMs: 2 * 60 * 60_000,
  carrierDeliveryMs: 3 * 60 * 60_000,
};

/** The consumers an order passes after checkout; the relay publishes the warehouse's requests to `transport`. */
export function fulfillmentChain(store: EventStore, payments: PaymentGatewayClient, policy: FulfillmentPolicy, transport: IntegrationTransport): readonly Consumer[] {
  return [fraudCheckConsumer(store), fulfillmentConsumer(store, policy), paymentStepConsumer(store, payments), integrationRelay(transport), processTimersProjection];
}

export type TestWarehouse = {
  readonly transport: IntegrationTransport;
  /** True when the warehouse has nothing in hand: no shipment between steps, no outcome waiting to be sent. */
  idle(): Promise<boolean>;
  stop(): Promise<void>;
};

/**
 * The real warehouse service and the shop's inbox for its answers, in this process over the test's database
 * (the zero-setup arrangement, server/broker.ts), with no delays: a request the relay publishes is answered
 * moments later, asynchronously, as it would be over the broker.
 */
export async function startTestWarehouse(sql: SqlClient, store: EventStore, options: { missingRate?: number } = {}): Promise<TestWarehouse> {
  const transport = inProcessTransport();
  // The inbox first, as server/broker.ts does: the warehouse may start by sending answers a crash left unsent.
  const inbox = startShipmentInbox(transport, store);
  const warehouse = await startWarehouse({ sql, transport, pickMs: 0, packMs: 0, dispatchMs: 0, missingRate: options.missingRate ?? 0 });
  return {
    transport,
    async idle() {
      const { shipments, outbox } = await warehouseCounts(sql);
      return shipments.received + shipments.picked + shipments.packed === 0 && outbox.unpublished === 0;
    },
    async stop() {
      await inbox.stop();
      await warehouse.stop();
    },
  };
}

/**
 * Runs the consumers over the log until a round appends nothing, firing the timers due by `timersDueBy`
 * (default: none beyond the real clock) between rounds, once the warehouse (if given) is idle. Returns the rounds.
 */
export async function settle(
  source: ConsumerSource,
  consumers: readonly Consumer[],
  options: { timersDueBy?: Date; maxRounds?: number; warehouse?: TestWarehouse } = {},
): Promise<number> {
  for (let round = 1; round <= (options.maxRounds ?? 50); round++) {
    const before = await source.store.readHead();
    for (const consumer of consumers) await catchUp(source, consumer, { batchSize: 100 });
    // The warehouse answers asynchronously, at once: its answers must be in the log before time moves on, or
    // a timer would fire first that the answer was in time to cancel (as the warehouse's overdue alert).
    if (options.warehouse) await untilIdle(options.warehouse);
    await fireDueTimers(source.orm, source.store, { now: options.timersDueBy ?? new Date() });
    if ((await source.store.readHead())?.position === before?.position) return round;
  }
  throw new Error('The processes did not settle: each round appended more events.');
}

async function untilIdle(warehouse: TestWarehouse, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await warehouse.idle())) {
    if (Date.now() > deadline) throw new Error(`The warehouse still had work in hand after ${timeoutMs} ms.`);
    await sleep(5);
  }
}

/** `settle` for the whole fulfillment chain, with a warehouse (`missingRate` of its orders short) for the call. */
export async function settleFulfillment(
  source: ConsumerSource & { readonly sql: SqlClient },
  payments: PaymentGatewayClient,
  policy: FulfillmentPolicy,
  options: { timersDueBy?: Date; maxRounds?: number; missingRate?: number } = {},
): Promise<number> {
  const warehouse = await startTestWarehouse(source.sql, source.store, options);
  try {
    return await settle(source, fulfillmentChain(source.store, payments, policy, warehouse.transport), { ...options, warehouse });
  } finally {
    await warehouse.stop();
  }
}

/** A command's envelope for test set-up: a fresh key, a correlation of its own. */
export function testEnvelope(actor = 'staff:test'): CommandEnvelope {
  const key = randomUUID();
  return { idempotencyKey: key, requestHash: key, correlationId: `test-${key}`, actor, source: 'test', now: new Date() };
}

export const testShippingAddress: ShippingAddress = {
  name: 'Maya Okafor',
  line1: '12 Canal Street',
  postalCode: '3511 AA',
  city: 'Utrecht',
  country: 'NL',
};

/**
 * A shop to run orders through: one customer per fixture (the fraud check counts a customer's orders in an
 * hour, so tests that place many orders spread them over `customers`), and products with plenty of stock.
 */
export async function orderFixture(store: EventStore, payments: PaymentGatewayClient, options: { customers?: number } = {}) {
  const customerIds = Array.from({ length: options.customers ?? 1 }, () => randomUUID());
  for (const [index, customerId] of customerIds.entries()) {
    await registerCustomer(store, testEnvelope(), { customerId, name: `Customer ${index + 1}`, email: `customer${index + 1}@example.test` });
  }
  const productId = randomUUID();
  await listProduct(store, testEnvelope(), {
    productId,
    name: 'Blue Mug',
    description: 'A mug for tests.',
    category: 'Kitchen',
    priceCents: 1_250,
    initialStock: 100_000,
  });
  let placed = 0;
  return {
    productId,
    customerIds,
    /** Checks out a cart of `quantity` mugs paid with `cardNumber`, as the checkout form would. */
    async placeOrder(cardNumber: string, quantity = 1): Promise<{ orderId: string; customerId: string; totalCents: number; correlationId: string }> {
      const customerId = customerIds[placed++ % customerIds.length]!;
      const shopper = testEnvelope(`customer:${customerId}`);
      const { cartId } = await addItemToCart(store, shopper, { cartId: null, newCartId: randomUUID(), customerId, productId, quantity });
      const token = await payments.tokenize({ number: cardNumber, expiry: '12/39', cvc: '123' });
      const checkout = testEnvelope(`customer:${customerId}`);
      const { orderId } = await checkOutCart(store, checkout, {
        cartId,
        customerId,
        shippingAddress: testShippingAddress,
        payment: { token: token.token, last4: token.last4, brand: token.brand, cardRisk: token.riskLevel },
      });
      return { orderId, customerId, totalCents: quantity * 1_250, correlationId: checkout.correlationId };
    },
  };
}
