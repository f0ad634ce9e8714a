import { MessagesRejectedError, type IntegrationTransport, type MessageRejection, type OutgoingMessage } from '@/contracts';
import type { ExternalConsumer } from '@/db/consumers';
import { recordDeadLetters } from '@/db/dead-letters';
import type { ShopEvent } from '@/domain';
import { integrationEventOf, publishedEventTypes, type PublishedEvent } from './published';

export const relayName = 'integration_relay';

/**
 * How many times in a row a batch may fail on messages refused for good before the relay sets them aside as
 * dead letters: the first try and the engine's two retries (0.5 s and 1 s later). A refusal is about the
 * message, so a retry rarely helps; the retries are there so that one odd answer is not taken for a verdict.
 */
export const relayAttempts = 3;

/**
 * The relay: the event log is the outbox. A consumer of the log like any other (the consumer engine reads,
 * wakes and retries it), it turns the events it handles into integration events and publishes them, and the
 * engine moves its checkpoint only after the broker acknowledged the whole batch.
 *
 * No outbox table: the append that recorded a domain event was already the one atomic write, so there is
 * nothing to copy. A crash after the publish and before the checkpoint publishes the batch again with the
 * same message ids (the event ids), which JetStream drops within its duplicate window and every consumer's
 * inbox drops after it. A relay stopped for longer than the window catches up the same way. So every event
 * is published at least once and, by its id, taken once.
 *
 * Except a message refused for good (`MessagesRejectedError`: it breaks its contract, or JetStream refuses it,
 * say for its size): after `relayAttempts` the relay publishes the rest of the batch and records that one as a
 * dead letter in the transaction that moves its checkpoint, and staff retry it once the cause is fixed, with
 * the same id. Until then, consumers miss that one event, and get it out of order when it is retried. A broker
 * that is down or slow is not a refusal: the batch fails and is retried, with no dead letter, for as long as
 * it takes, and the relay goes no further meanwhile.
 *
 * The stream is created or brought to this code's settings before the first publish of each process.
 */
export function integrationRelay(transport: IntegrationTransport): ExternalConsumer<ShopEvent, (typeof publishedEventTypes)[number]> {
  let streamReady: Promise<void> | null = null;
  return {
    kind: 'external',
    name: relayName,
    handles: publishedEventTypes,
    // One publish per batch, pipelined: a small live batch is cheap, and the warehouse waits on it.
    liveBatchSpacingMs: 10,
    async applyBatch(events, { failures }) {
      // A failed set-up is tried again with the next batch rather than remembered.
      streamReady ??= transport.ensureStream().catch((error: unknown) => {
        streamReady = null;
        throw error;
      });
      await streamReady;
      const messages = events.map(integrationEventOf);
      // The transport checks every message against its contract before it sends any (a check here as well
      // would encode every message twice), so a message that breaks it fails the batch with nothing sent.
      if (failures + 1 < relayAttempts) {
        await transport.publish(messages);
        return;
      }
      const rejections = await publishAllBut(transport, messages);
      if (rejections.length === 0) return;
      const byId = new Map(events.map((event) => [event.eventId, event]));
      return {
        recordWithCheckpoint: (tx) =>
          recordDeadLetters(
            tx,
            rejections.map((rejection) => deadLetterOf(byId.get(rejection.id)!, messages, rejection, failures + 1)),
          ),
      };
    },
  };
}

/**
 * Publishes the messages but those refused for good, and says which were. A refusal of the contract check
 * sends nothing, so the rest go again without it; a refusal by JetStream stored the others already, and
 * sending them again is a repeat it drops. Each round drops at least one message, so this ends.
 */
async function publishAllBut(transport: IntegrationTransport, messages: readonly OutgoingMessage[]): Promise<MessageRejection[]> {
  const rejections: MessageRejection[] = [];
  let remaining = messages;
  while (remaining.length > 0) {
    try {
      await transport.publish(remaining);
      break;
    } catch (error) {
      if (!(error instanceof MessagesRejectedError)) throw error;
      rejections.push(...error.rejections);
      const refused = new Set(error.rejections.map((rejection) => rejection.id));
      remaining = remaining.filter((message) => !refused.has(message.id));
    }
  }
  return rejections;
}

function deadLetterOf(event: PublishedEvent, messages: readonly OutgoingMessage[], rejection: MessageRejection, attempts: number) {
  const message = messages.find((candidate) => candidate.id === rejection.id);
  return {
    consumer: relayName,
    kind: 'message' as const,
    target: message?.contract ?? event.type,
    eventId: event.eventId,
    eventType: event.type,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    error: rejection.reason.slice(0, 1_000),
    attempts,
  };
}
