import type { EventStore } from '@/db/event-store';
import {
  evolveFulfillment,
  fold,
  fulfillmentStreamId,
  IllegalStateError,
  initialFulfillmentState,
  NotFoundError,
  type FulfillmentEvent,
  type FulfillmentPolicy,
} from '@/domain';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { decideFulfillment } from './handle-input';

/** What staff do with a parked process: try its step again, or give up and undo the order. */
export type ResumeFulfillment = { readonly orderId: string } & (
  | { readonly action: 'retry' }
  | { readonly action: 'cancel'; readonly reason: string }
);

/**
 * Staff resume a parked fulfillment process. What resuming does (send the stuck request again, decide the inputs
 * held meanwhile, or undo the order) is the process's own decision, taken on the path its every input takes; this
 * refuses what is not a resume: an order with no process, or a process running by itself, where a Retry would do
 * nothing and a Cancel would undo an order nobody was asked about.
 */
export async function resumeFulfillment(store: EventStore, policy: FulfillmentPolicy, envelope: CommandEnvelope, command: ResumeFulfillment) {
  const { orderId } = command;
  // A repeat of a resume that went through finds the process running again: the check would refuse what is a
  // retry of the same request, which the command path answers with the first result (or refuses as a reused key).
  if (!(await store.findCommandResult(envelope.idempotencyKey))) {
    // The process's stream holds only its own events: its one writer is the process.
    const events = (await store.readStream(fulfillmentStreamId(orderId))) as readonly FulfillmentEvent[];
    const state = fold({ evolve: evolveFulfillment, initialState: initialFulfillmentState }, events);
    if (state.status === 'none') throw new NotFoundError('This order has no fulfillment process.');
    if (!state.parked) throw new IllegalStateError('This order’s fulfillment is not waiting for staff: it is running by itself.');
  }
  const by = envelope.actor;
  const metadata = { now: envelope.now };
  return decideFulfillment(
    store,
    policy,
    command.action === 'retry'
      ? { type: 'RetryFulfillment', data: { orderId, by }, metadata }
      : { type: 'CancelFulfillment', data: { orderId, by, reason: command.reason }, metadata },
    envelope,
  );
}
