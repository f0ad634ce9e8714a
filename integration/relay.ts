import type { IntegrationTransport } from '@/contracts';
import type { ExternalConsumer } from '@/db/consumers';
import type { ShopEvent } from '@/domain';
import { integrationEventOf, publishedEventTypes } from './published';

/**
 * The relay: the event log is the outbox. A consumer of the log like any other (the consumer engine reads,
 * wakes and retries it), it turns the events it handles into integration events and publishes them, and the
 * engine moves its checkpoint only after the broker acknowledged the whole batch.
 *
 * No outbox table: the append that recorded a domain event was already the one atomic write, so there is
 * nothing to copy. A crash after the publish and before the checkpoint publishes the batch again with the
 * same message ids (the event ids), which JetStream drops within its duplicate window and every consumer's
 * inbox drops after it. A relay stopped for longer than the window catches up the same way.
 *
 * The stream is created or brought to this code's settings before the first publish of each process.
 */
export function integrationRelay(transport: IntegrationTransport): ExternalConsumer<ShopEvent, (typeof publishedEventTypes)[number]> {
  let streamReady: Promise<void> | null = null;
  return {
    kind: 'external',
    name: 'integration_relay',
    handles: publishedEventTypes,
    // One publish per batch, pipelined: a small live batch is cheap, and the warehouse waits on it.
    liveBatchSpacingMs: 10,
    async applyBatch(events) {
      // A failed set-up is tried again with the next batch rather than remembered.
      streamReady ??= transport.ensureStream().catch((error: unknown) => {
        streamReady = null;
        throw error;
      });
      await streamReady;
      // The transport checks every message against its contract before it sends any: an event the contract
      // cannot carry stops the relay here, with the reason on the status page, rather than after half the
      // batch went out. (A check here as well would encode every message twice.)
      await transport.publish(events.map(integrationEventOf));
    },
  };
}
