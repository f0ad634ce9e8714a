import { randomUUID } from 'node:crypto';
import { catchUp, type Consumer, type ConsumerSource } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import type { FulfillmentPolicy, ShippingAddress } from '@/domain';
import { addItemToCart, checkOutCart } from '@/server/commands/cart';
import { listProduct } from '@/server/commands/catalog';
import { registerCustomer } from '@/server/commands/customers';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { fraudCheckConsumer } from '@/reactors/fraud-check/consumer';
import type { PaymentGatewayClient } from '@/services/payment-gateway/client';
import { fulfillmentConsumer } from './fulfillment/consumer';
import { paymentStepConsumer } from './payments/consumer';
import { processTimersProjection } from './timers/projection';
import { fireDueTimers } from './timers/service';
import { warehouseSimulator } from './warehouse/consumer';

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

export function fulfillmentChain(
  store: EventStore,
  payments: PaymentGatewayClient,
  policy: FulfillmentPolicy,
  options: { missingRate?: number } = {},
): readonly Consumer[] {
  return [
    fraudCheckConsumer(store),
    fulfillmentConsumer(store, policy),
    paymentStepConsumer(store, payments),
    warehouseSimulator(store, { missingRate: options.missingRate ?? 0 }),
    processTimersProjection,
  ];
}

/**
 * Runs the consumers over the log until a round appends nothing, firing the timers due by `timersDueBy`
 * (default: none beyond the real clock) between rounds. Returns the number of rounds.
 */
export async function settle(
  source: ConsumerSource,
  consumers: readonly Consumer[],
  options: { timersDueBy?: Date; maxRounds?: number } = {},
): Promise<number> {
  for (let round = 1; round <= (options.maxRounds ?? 50); round++) {
    const before = await source.store.readHead();
    for (const consumer of consumers) await catchUp(source, consumer, { batchSize: 100 });
    await fireDueTimers(source.orm, source.store, { now: options.timersDueBy ?? new Date() });
    const after = await source.store.readHead();
    if (after?.position === before?.position) return round;
  }
  throw new Error('The processes did not settle: each round appended more events.');
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
