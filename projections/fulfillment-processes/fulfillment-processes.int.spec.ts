import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { encodeToken } from '@/db/event-store';
import {
  chargeKeyFor,
  defaultFulfillmentPolicy,
  evolveFulfillment,
  fulfillmentProcess,
  fulfillmentStreamId,
  initialFulfillmentState,
  type FulfillmentInput,
  type FulfillmentPolicy,
  type FulfillmentState,
  type Line,
} from '@/domain';
import { resetProjection } from '../runtime/reset';
import { appendShopEvents, dumpProjection, itAppliesExactlyOnce, metadata, smallBatches, testAddress, useShopDatabase } from '../testing';
import { fulfillmentProcessesProjection } from './projection';
import { countProcessesByStatus, listParkedProcesses } from './query';
import { fulfillmentProcesses } from './schema';

const ctx = useShopDatabase();
const project = (batchSize = smallBatches.batchSize) => catchUp(ctx.source, fulfillmentProcessesProjection, { batchSize });

const mug: Line = { productId: 'p-mug', name: 'Mug', unitPriceCents: 2_999, quantity: 1 };
const start = Date.UTC(2025, 4, 1, 9, 0);
const moment = (second: number) => new Date(start + second * 1_000);

/** No retries: the first charge without an answer goes to a status lookup, the first lookup without one parks. */
const impatient: FulfillmentPolicy = { ...defaultFulfillmentPolicy, paymentRetryDelaysMs: [], statusCheckRetryDelaysMs: [] };

/**
 * One order's process, driven through the real decider: each input's decision is appended to the process's
 * stream, the read model catches up, and its row must say what the folded state says. The projection mirrors
 * `evolveFulfillment` from the events alone, and this is what holds it to it.
 */
function processFor(orderId: string, policy: FulfillmentPolicy = defaultFulfillmentPolicy) {
  const decider = fulfillmentProcess(policy);
  let state: FulfillmentState = initialFulfillmentState();
  let second = 0;
  const input = <T extends FulfillmentInput['type']>(type: T, data: Extract<FulfillmentInput, { type: T }>['data']) =>
    ({ type, data, metadata: { now: moment(++second) } }) as FulfillmentInput;
  const at = () => moment(second).toISOString();
  const chargeKey = chargeKeyFor(orderId);

  async function decide(next: FulfillmentInput) {
    const events = decider.decide(next, state);
    for (const event of events) state = evolveFulfillment(state, event);
    if (events.length > 0) await appendShopEvents(ctx.store, { streamId: fulfillmentStreamId(orderId), events }, metadata(`process-${orderId}`));
    await project();
    if (state.status === 'none') throw new Error('the process did not start');
    const [row] = await ctx.db.orm.select().from(fulfillmentProcesses).where(eq(fulfillmentProcesses.orderId, orderId));
    expect(row).toMatchObject({
      status: state.status,
      parkedReason: state.parked?.reason ?? null,
      parkedSince: state.parked ? new Date(state.parked.since) : null,
      heldInputs: state.held.length,
    });
    return row!;
  }

  const timer = (name: string) => {
    if (state.status === 'none' || !state.timers[name]) throw new Error(`no ${name} timer`);
    const { timerId, dueAt } = state.timers[name];
    return input('TimerElapsed', { timerId, process: 'fulfillment', processId: orderId, name, dueAt, elapsedAt: dueAt });
  };

  return {
    decide,
    placed: () =>
      decide(
        input('OrderPlaced', {
          orderId,
          customerId: 'c-ann',
          cartId: `cart-${orderId}`,
          lines: [mug],
          totalCents: 2_999,
          currency: 'USD',
          shippingAddress: testAddress,
          payment: { token: `tok-${orderId}`, last4: '4242', brand: 'Visa', cardRisk: 'normal' },
          placedAt: moment(second).toISOString(),
        }),
      ),
    fraudPassed: () =>
      decide(input('FraudCheckCompleted', { orderId, customerId: 'c-ann', verdict: 'passed', score: 0, reasons: [], placedAt: moment(0).toISOString(), checkedAt: at() })),
    captured: () => decide(input('PaymentCaptured', { orderId, idempotencyKey: chargeKey, chargeId: `ch-${orderId}`, amountCents: 2_999, capturedAt: at() })),
    noAnswer: () =>
      decide(input('PaymentAttemptFailed', { orderId, idempotencyKey: chargeKey, attempt: 1, failure: 'timeout', message: 'no answer', failedAt: at() })),
    notFound: () => decide(input('PaymentNotFound', { orderId, idempotencyKey: chargeKey, checkedAt: at() })),
    dispatched: () => decide(input('ShipmentDispatched', { orderId, carrier: 'Parcel Post', trackingNumber: 'PP1', dispatchedAt: at() })),
    customerCancelled: () => decide(input('OrderCancelled', { orderId, reason: 'Changed my mind', cancelledBy: 'customer', cancelledAt: at() })),
    timerFires: (name: string) => decide(timer(name)),
    failedOn: (kept: { type: string; data: object }) => decide(input('ParkFulfillment', { orderId, reason: `Could not handle ${kept.type}: boom`, input: kept })),
    retried: () => decide(input('RetryFulfillment', { orderId, by: 'customer:staff-stand-in' })),
  };
}

describe('fulfillment processes', () => {
  it('follows a process from its start to completed, status by status', async () => {
    const process = processFor('o-happy');
    expect(await process.placed()).toMatchObject({
      status: 'awaiting-fraud-check',
      customerId: 'c-ann',
      totalCents: 2_999,
      startedAt: moment(1),
      updatedAt: moment(1),
    });
    expect((await process.fraudPassed()).status).toBe('charging');
    expect((await process.captured()).status).toBe('paid');
    expect((await process.timerFires('handover')).status).toBe('awaiting-shipment');
    expect((await process.dispatched()).status).toBe('in-transit');
    const completed = await process.timerFires('carrier-delivery');
    expect(completed).toMatchObject({ status: 'completed', updatedAt: moment(6) });
  });

  it('parks a process, counts what arrives meanwhile, and lists it until staff resume it', async () => {
    const orderId = 'o-parked';
    const process = processFor(orderId, impatient);
    await process.placed();
    await process.fraudPassed();
    expect((await process.noAnswer()).status).toBe('checking-payment');
    const parked = await process.noAnswer();
    expect(parked).toMatchObject({ status: 'checking-payment', parkedReason: expect.stringMatching(/could not be reached/) });
    const held = await process.customerCancelled();
    expect(held.heldInputs).toBe(parked.heldInputs + 1);

    const list = await listParkedProcesses(ctx.db.orm);
    expect(list.checkpoint).toBe(encodeToken(await ctx.store.readHead().then((head) => head!)));
    expect(list.processes.filter((row) => row.orderId === orderId)).toEqual([
      { orderId, customerId: 'c-ann', totalCents: 2_999, stoppedWhile: 'checking-payment', reason: parked.parkedReason, since: parked.parkedSince, heldInputs: held.heldInputs },
    ]);
    expect((await countProcessesByStatus(ctx.db.orm)).counts.parked).toBeGreaterThanOrEqual(1);

    // Resuming asks the gateway again and decides the held cancellation: the order is being undone.
    const resumed = await process.retried();
    expect(resumed).toMatchObject({ status: 'compensating', parkedReason: null, parkedSince: null, heldInputs: 0 });
    expect((await listParkedProcesses(ctx.db.orm)).processes.map((row) => row.orderId)).not.toContain(orderId);
    // What the lookup's answer does is the decider's to say; the row says the same.
    await process.notFound();
  });

  it('carries on in the status it had when a process parked with nothing to send again', async () => {
    const process = processFor('o-failed-input');
    await process.placed();
    await process.fraudPassed();
    await process.captured();
    // The runtime parks a process whose input threw, keeping the input.
    const parked = await process.failedOn({ type: 'TimerElapsed', data: { name: 'nothing-due' } });
    expect(parked).toMatchObject({ status: 'paid', heldInputs: 1, parkedReason: 'Could not handle TimerElapsed: boom' });
    expect((await process.retried()).status).toBe('paid');
  });

  it('counts processes by status, a parked one as parked', async () => {
    const before = (await countProcessesByStatus(ctx.db.orm)).counts;
    const charging = processFor('o-count-charging');
    await charging.placed();
    await charging.fraudPassed();
    const parked = processFor('o-count-parked', impatient);
    await parked.placed();
    await parked.fraudPassed();
    await parked.noAnswer();
    await parked.noAnswer();

    const { checkpoint, counts } = await countProcessesByStatus(ctx.db.orm);
    expect(checkpoint).toBe(encodeToken((await ctx.store.readHead())!));
    expect(counts.charging).toBe((before.charging ?? 0) + 1);
    expect(counts.parked).toBe((before.parked ?? 0) + 1);
    expect(counts['checking-payment'] ?? 0).toBe(before['checking-payment'] ?? 0);
  });

  it('rebuilds from zero in one batch to exactly the rows it built event by event', async () => {
    const process = processFor('o-rebuilt', impatient);
    await process.placed();
    await process.fraudPassed();
    await process.noAnswer();
    await process.noAnswer();
    await process.customerCancelled();
    await process.retried();
    const incremental = await dumpProjection(ctx.db.orm, fulfillmentProcessesProjection);

    await resetProjection(ctx.db.orm, fulfillmentProcessesProjection);
    await project(1_000);
    expect(await dumpProjection(ctx.db.orm, fulfillmentProcessesProjection)).toEqual(incremental);
  });

  itAppliesExactlyOnce(fulfillmentProcessesProjection, {
    ctx,
    appendBatch: (key) => {
      const orderId = `o-${key}`;
      const startedAt = moment(0).toISOString();
      return appendShopEvents(ctx.store, {
        streamId: fulfillmentStreamId(orderId),
        events: [
          {
            type: 'FulfillmentStarted',
            data: { orderId, customerId: 'c-ann', lines: [mug], totalCents: 2_999, currency: 'USD', shippingAddress: testAddress, paymentToken: 'tok', startedAt },
          },
          {
            type: 'PaymentRequested',
            data: { orderId, idempotencyKey: chargeKeyFor(orderId), attempt: 1, token: 'tok', amountCents: 2_999, currency: 'USD', requestedAt: startedAt },
          },
        ],
      });
    },
  });
});
