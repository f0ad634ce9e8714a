import { MessagesRejectedError, type IntegrationTransport } from '@/contracts';
import type { EventStore } from '@/db/event-store';
import { integrationEventOf, publishedEventTypes, type PublishedEvent } from './published';

/** A retry's answer: published, or why not, in the dead letter's words. */
export type RepublishOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

const published = new Set<string>(publishedEventTypes);

/**
 * Publishes a dead-lettered event again (the retry of the relay's dead letter, db/dead-letters.ts): the event
 * as the log holds it now, mapped by today's code, so a fix of the mapping is what the retry sends. The
 * message id is the event id, as the relay's was, so a message that did reach the broker after all is a repeat
 * that JetStream and every inbox drop. Refused again, or the broker away: an outcome saying why, not an error.
 */
export async function republishEvent(
  transport: IntegrationTransport,
  store: EventStore,
  event: { readonly streamId: string; readonly streamVersion: number; readonly eventId: string },
): Promise<RepublishOutcome> {
  const [stored] = await store.readStream(event.streamId, { from: event.streamVersion, to: event.streamVersion });
  if (!stored || stored.eventId !== event.eventId) return { ok: false, error: `The log holds no event ${event.eventId} at ${event.streamId} version ${event.streamVersion}.` };
  if (!published.has(stored.type)) return { ok: false, error: `${stored.type} is no longer published to the broker.` };
  try {
    await transport.ensureStream();
    // A type the relay publishes, read from the log as the engine reads it for the relay.
    await transport.publish([integrationEventOf(stored as PublishedEvent)]);
    return { ok: true };
  } catch (error) {
    if (error instanceof MessagesRejectedError) return { ok: false, error: error.rejections[0]?.reason ?? error.message };
    return { ok: false, error: `The broker did not take it: ${error instanceof Error ? error.message : String(error)}` };
  }
}
