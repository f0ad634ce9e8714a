import { setTimeout as sleep } from 'node:timers/promises';
import { forEachByKey, type ExternalConsumer, type Handled } from '@/db/consumers';
import { ConcurrencyError, type EventStore } from '@/db/event-store';
import { fraudCheckStreamId, scoreOrder, type FraudCheckCompleted, type ShopEvent } from '@/domain';

type Placed = Handled<ShopEvent, 'OrderPlaced'>;

/**
 * The fraud check: scores every order paid by card as it is placed (domain/fraud/score.ts) and publishes the
 * verdict as FraudCheckCompleted. It does not know that the fulfillment process waits for the verdict; the
 * process does not know how the score is made.
 *
 * The verdict goes into the customer's stream of checks, appended at the version the score was made on: two
 * of one customer's orders checked at once cannot both miss each other (the second is scored again), and an
 * order checked again after a crash finds its verdict there and is not checked twice.
 */
export function fraudCheckConsumer(store: EventStore): ExternalConsumer<ShopEvent, 'OrderPlaced'> {
  return {
    kind: 'external',
    name: 'fraud_check',
    handles: ['OrderPlaced'],
    liveBatchSpacingMs: 0,
    async applyBatch(events) {
      const byCard = events.filter((event) => event.data.payment !== null);
      await forEachByKey(byCard, (event) => event.data.customerId, 8, (event) => check(store, event));
    },
  };
}

async function check(store: EventStore, placed: Placed): Promise<void> {
  const { orderId, customerId, totalCents, placedAt, payment } = placed.data;
  const streamId = fraudCheckStreamId(customerId);
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const earlier = history.map((event) => event.data as FraudCheckCompleted['data']);
    if (earlier.some((verdict) => verdict.orderId === orderId)) return;
    const verdict = scoreOrder(
      { orderId, customerId, totalCents, placedAt, cardRisk: payment?.cardRisk ?? 'normal' },
      earlier,
      new Date().toISOString(),
    );
    try {
      await store.append(streamId, [{ type: 'FraudCheckCompleted', data: verdict }], {
        expectedVersion: history.length === 0 ? 'no_stream' : history.length,
        metadata: { correlationId: placed.metadata.correlationId, causationId: placed.eventId, actor: 'system:fraud-check', source: 'fraud-check' },
      });
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
      await sleep(attempt * 5);
    }
  }
}
