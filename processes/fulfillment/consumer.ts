import { forEachByKey, type ExternalConsumer } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import { inputOrderId, reactedEventTypes, type FulfillmentInput, type FulfillmentPolicy, type ShopEvent } from '@/domain';
import { handleInput } from './handle-input';

/** Orders whose inputs are decided side by side; one order's inputs always in log order. */
const concurrency = 16;

/**
 * The fulfillment process manager as a consumer of the log. It reacts to the order's events, the fraud
 * verdict, the payment step's and the warehouse's answers and its own timers, and decides through the pure
 * process decider in domain/fulfillment. Its effects are appends through the event store, each idempotent
 * (./handle-input.ts), so it is an external consumer: the engine moves its checkpoint once a batch's
 * appends are done, and a batch repeated after a crash changes nothing twice.
 */
export function fulfillmentConsumer(
  store: EventStore,
  policy: FulfillmentPolicy,
): ExternalConsumer<ShopEvent, (typeof reactedEventTypes)[number]> {
  return {
    kind: 'external',
    name: 'fulfillment',
    handles: reactedEventTypes,
    // Each input is a command on the store; a live batch should not wait for more to arrive.
    liveBatchSpacingMs: 0,
    async applyBatch(events) {
      const inputs = events
        // Timers of other kinds of process are theirs.
        .filter((event) => event.type !== 'TimerElapsed' || event.data.process === 'fulfillment')
        .map((event) => ({ event, input: { type: event.type, data: event.data, metadata: { now: new Date() } } as FulfillmentInput }));
      await forEachByKey(inputs, ({ input }) => inputOrderId(input), concurrency, ({ event, input }) =>
        handleInput(store, policy, event, input).then(() => undefined),
      );
    },
  };
}
