import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyError, type EventStore, type StoredEvent } from '@/db/event-store';
import {
  commandsFor,
  DomainError,
  evolveFulfillment,
  fulfillmentProcess,
  fulfillmentStreamId,
  inputOrderId,
  orderDecider,
  orderStreamId,
  productDecider,
  productStreamId,
  type ActiveFulfillment,
  type Decider,
  type FulfillmentEvent,
  type FulfillmentInput,
  type FulfillmentPolicy,
  type FulfillmentState,
  type OrderCommand,
  type ProcessCommand,
  type ProductCommand,
} from '@/domain';
import { runCommand, type CommandEnvelope, type UnitOfWork } from '@/server/commands/run-command';

/** Who the process's commands and events are from, in the log's metadata. */
const actor = 'system:fulfillment';

/**
 * Decides one input for its order's process and carries the decision out, in one append: the process's own
 * events, and the events of every command they imply (./steps.ts in the domain) on the order and product
 * streams. The append goes through the one command path (`runCommand`), so it is checked against the
 * versions read and retried on a conflict (a shopper cancelling at the same moment).
 *
 * Exactly once: the append carries the idempotency key `fulfillment:<input event id>`, and records it even
 * when the decision was to do nothing. An input handled before a crash is therefore refused as a duplicate
 * when the batch is read again, and one not yet handled is decided on the state its predecessors left,
 * exactly as the first run would have. The key table is the process's inbox.
 */
export async function handleInput(store: EventStore, policy: FulfillmentPolicy, event: StoredEvent, input: FulfillmentInput): Promise<void> {
  const envelope = {
    idempotencyKey: `fulfillment:${event.eventId}`,
    requestHash: 'fulfillment',
    correlationId: event.metadata.correlationId,
    causationId: event.eventId,
    actor,
    source: 'fulfillment',
    now: input.metadata.now,
  };
  // A popular product's stream is written by every checkout and every release: the process cannot give up
  // on a conflict the way a shopper's request may, so it decides again, with a growing pause, a while longer.
  for (let round = 1; ; round++) {
    try {
      await decideFulfillment(store, policy, input, envelope);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || round >= conflictRounds) throw error;
      await sleep(Math.random() * 10 * round);
    }
  }
}

/** Rounds of `runCommand` (each already deciding up to three times) before a conflict fails the batch. */
const conflictRounds = 10;

/**
 * The same for an input that is a command (staff resuming a parked process): the caller's envelope carries
 * its idempotency key. Returns how many events the process decided (0: the input changed nothing).
 */
export async function decideFulfillment(
  store: EventStore,
  policy: FulfillmentPolicy,
  input: FulfillmentInput,
  envelope: CommandEnvelope,
): Promise<{ readonly decisions: number; readonly token: string | null }> {
  const process = fulfillmentProcess(policy);
  const streamId = fulfillmentStreamId(inputOrderId(input));
  const orderId = inputOrderId(input);
  return runCommand(store, envelope, async (unit, now) => {
    const before = await unit.load(streamId, process);
    const decided = decideOrPark(process, input, before);
    // Only the count is the command's stored result: the decisions themselves are in the stream.
    if (decided.length === 0) return { decisions: 0 };
    const staged = await unit.decide(streamId, recorder, { type: 'Record', data: { events: decided }, metadata: { now } });
    let state = before;
    for (const recorded of staged) {
      const commands = state.status === 'none' ? [] : commandsFor(recorded, state as ActiveFulfillment);
      for (const command of commands) await send(unit, orderId, command, now);
      state = evolveFulfillment(state, recorded);
    }
    return { decisions: decided.length };
  });
}

/**
 * An input whose decision throws is a bug or data the process cannot read; it must not stop every other
 * order's fulfillment. The process parks with the error, keeping the input, for staff to retry or cancel.
 */
function decideOrPark(
  process: Decider<FulfillmentState, FulfillmentInput, FulfillmentEvent>,
  input: FulfillmentInput,
  state: FulfillmentState,
): FulfillmentEvent[] {
  try {
    return process.decide(input, state);
  } catch (error) {
    if (state.status === 'none') throw error;
    const reason = `Could not handle ${input.type}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    return process.decide(
      { type: 'ParkFulfillment', data: { orderId: state.orderId, reason, input: { type: input.type, data: input.data } }, metadata: input.metadata },
      state,
    );
  }
}

/** Stages events the process already decided on its own stream (the unit folds them like any decision). */
const recorder: Decider<FulfillmentState, { type: 'Record'; data: { events: FulfillmentEvent[] }; metadata: { now: Date } }, FulfillmentEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveFulfillment,
  decide: (command) => command.data.events,
};

/**
 * Sends one command to its aggregate in the same unit. An aggregate that refuses (the order was cancelled a
 * moment ago, so it cannot be paid) is not an error of the process: the refusal is recorded, and the event
 * that explains it reaches the process as its next input.
 */
async function send(unit: UnitOfWork, orderId: string, command: ProcessCommand, now: Date): Promise<void> {
  // A process command is an aggregate's command without its moment; this decision's moment completes it.
  const timed = { ...command, metadata: { now } } as OrderCommand | ProductCommand;
  try {
    if (timed.type === 'ReleaseStock') await unit.decide(productStreamId(timed.data.productId), productDecider, timed);
    else if (isOrderCommand(timed)) await unit.decide(orderStreamId(timed.data.orderId), orderDecider, timed);
    else throw new Error(`The fulfillment process cannot send ${timed.type}.`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const refused: FulfillmentEvent = {
      type: 'FulfillmentStepRefused',
      data: { orderId, command: command.type, reason: error.message.slice(0, 500), refusedAt: now.toISOString() },
    };
    await unit.decide(fulfillmentStreamId(orderId), recorder, { type: 'Record', data: { events: [refused] }, metadata: { now } });
  }
}

const orderCommandTypes: readonly string[] = ['PlaceOrder', 'PayOrder', 'ShipOrder', 'DeliverOrder', 'CancelOrder'] satisfies OrderCommand['type'][];
const isOrderCommand = (command: OrderCommand | ProductCommand): command is OrderCommand => orderCommandTypes.includes(command.type);
