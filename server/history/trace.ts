import { inArray } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { compareLogPositions, readCheckpoint, type EventStore, type StoredEvent, type StoredEventPlace } from '@/db/event-store';
import { fulfillmentStreamId, timerEventTypes } from '@/domain';
import { integrationEventOf, publishedEventTypes, type PublishedEvent } from '@/integration/published';
import { notificationKinds, notificationMessageId, type NotificationEvent } from '@/reactors/notifications/consumer';
import { mailboxMessages } from '@/reactors/notifications/schema';

/** An event of a trace as the page shows it: where it sits, what it says and who and what caused it. */
export type TracedEvent = StoredEventPlace & {
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly source: string;
  /** In the type's current shape; null for an event the code cannot read. */
  readonly data: Record<string, unknown> | null;
};

/**
 * One line of a trace's timeline. Every line sits at a log position (`position`): a command at its first
 * event's, the publication and the mail an event led to right after that event, so the timeline is in the
 * order things happened as the log records it.
 */
export type TraceEntry =
  | {
      readonly kind: 'command';
      readonly position: number;
      /** The key the command was sent with; null for an append recorded without one (the timer service's). */
      readonly idempotencyKey: string | null;
      readonly actor: string;
      readonly source: string;
      readonly at: Date;
      readonly eventCount: number;
      readonly streamIds: readonly string[];
    }
  | {
      /** A step of the fulfillment process manager (its own stream), a timer's, one from the warehouse, or any other. */
      readonly kind: 'event' | 'process-step' | 'integration-received';
      readonly position: number;
      readonly event: TracedEvent;
    }
  | {
      readonly kind: 'timer';
      readonly position: number;
      readonly event: TracedEvent;
      readonly timer: { readonly name: string; readonly state: 'scheduled' | 'cancelled' | 'fired'; readonly dueAt: string };
    }
  | {
      readonly kind: 'integration-published';
      readonly position: number;
      readonly eventId: string;
      readonly contract: string;
      /** Whether the relay has read past the event: a publication is at least once, the relay's checkpoint after it. */
      readonly state: 'published' | 'pending';
    }
  | {
      readonly kind: 'mail';
      readonly position: number;
      readonly eventId: string;
      readonly mailKind: string;
      readonly messageId: string;
      /** `sent` once the notifications reactor read past the event; to and subject where the dev mailbox kept it. */
      readonly state: 'sent' | 'pending';
      readonly to: string | null;
      readonly subject: string | null;
      readonly sentAt: Date | null;
    };

/** What a trace is built from: an event of the log, its data decoded (or null when it cannot be). */
export type TraceInput = StoredEvent;

/**
 * The keys a command may have been sent with, from its events' causation id: a command from the edge is
 * caused by its own key; each consumer that appends keys its append by the event or message it reacted to,
 * under its prefix (processes/fulfillment/handle-input.ts, processes/payments/consumer.ts, integration/inbox.ts).
 * Looked up by the key, the table's primary key, rather than by transaction, which no index serves.
 */
const appendKeyPrefixes = ['', 'fulfillment:', 'payments:', 'inbox:'] as const;

/** Relay and reactor whose checkpoints say whether an event was published and its mail sent. */
const relayConsumer = 'integration_relay';
const notificationsConsumer = 'notifications';

const timerTypes: ReadonlySet<string> = new Set(timerEventTypes);
const publishedTypes: ReadonlySet<string> = new Set(publishedEventTypes);
const processStreamPrefix = fulfillmentStreamId('');
const timerStates = { TimerScheduled: 'scheduled', TimerCancelled: 'cancelled', TimerElapsed: 'fired' } as const;
/** Within one position: the command first, then its event, then what the event led outside the log. */
const rank = { command: 0, event: 1, 'process-step': 1, timer: 1, 'integration-received': 1, 'integration-published': 2, mail: 3 } as const;

/** The idempotency key of the command behind each transaction of these events, where one was recorded. */
export async function commandKeys(
  store: Pick<EventStore, 'findCommandKeys'>,
  events: readonly Pick<TraceInput, 'transactionId' | 'metadata'>[],
): Promise<Map<number, string>> {
  const causations = [...new Set(events.map((event) => event.metadata.causationId))];
  const keys = await store.findCommandKeys(causations.flatMap((causation) => appendKeyPrefixes.map((prefix) => `${prefix}${causation}`)));
  const transactions = new Set(events.map((event) => event.transactionId));
  // A key names the transaction it appended in; a key that matched a causation of another append is not this one's.
  return new Map(keys.filter((key) => key.transactionId !== null && transactions.has(key.transactionId)).map((key) => [key.transactionId!, key.idempotencyKey]));
}

export function tracedEvent(event: TraceInput): TracedEvent {
  return {
    globalPosition: event.globalPosition,
    transactionId: event.transactionId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    actor: event.metadata.actor,
    source: event.metadata.source,
    data: (event.data as Record<string, unknown> | null) ?? null,
  };
}

function eventEntry(event: TraceInput): TraceEntry {
  const traced = tracedEvent(event);
  const position = event.globalPosition;
  if (timerTypes.has(event.type)) {
    const data = event.data as { name: string; dueAt: string } | null;
    const state = timerStates[event.type as keyof typeof timerStates];
    return { kind: 'timer', position, event: traced, timer: { name: data?.name ?? '', state, dueAt: data?.dueAt ?? '' } };
  }
  if (event.streamId.startsWith(processStreamPrefix)) return { kind: 'process-step', position, event: traced };
  if (event.metadata.source === 'warehouse') return { kind: 'integration-received', position, event: traced };
  return { kind: 'event', position, event: traced };
}

/**
 * The one ordered timeline of everything a set of events led to: the commands that appended them (one per
 * transaction: an append is one command's), each event by what it is (a process step, a timer scheduled,
 * cancelled or fired, an outcome received from the warehouse), the integration events the relay published
 * and the mail the notifications reactor sent. `events` must be in log order.
 */
export async function traceTimeline(db: { orm: Orm }, store: Pick<EventStore, 'findCommandKeys'>, events: readonly TraceInput[]): Promise<TraceEntry[]> {
  const transactions = new Map<number, TraceInput[]>();
  for (const event of events) {
    const appended = transactions.get(event.transactionId);
    if (appended) appended.push(event);
    else transactions.set(event.transactionId, [event]);
  }
  const mailed = events.filter((event) => event.data !== null && Object.hasOwn(notificationKinds, event.type));
  const [keyOf, relay, notifications, mailbox] = await Promise.all([
    commandKeys(store, events),
    readCheckpoint(db.orm, relayConsumer),
    readCheckpoint(db.orm, notificationsConsumer),
    mailed.length === 0
      ? []
      : db.orm.select().from(mailboxMessages).where(inArray(mailboxMessages.messageId, mailed.map((event) => notificationMessageId(event)))),
  ]);
  const mailOf = new Map(mailbox.map((message) => [message.messageId, message]));
  const readPast = (checkpoint: typeof relay, event: TraceInput) =>
    compareLogPositions(checkpoint, { transactionId: event.transactionId, position: event.globalPosition }) >= 0;

  const entries: TraceEntry[] = [];
  for (const [transactionId, appended] of transactions) {
    const first = appended[0]!;
    entries.push({
      kind: 'command',
      position: first.globalPosition,
      idempotencyKey: keyOf.get(transactionId) ?? null,
      actor: first.metadata.actor,
      source: first.metadata.source,
      at: first.recordedAt,
      eventCount: appended.length,
      streamIds: [...new Set(appended.map((event) => event.streamId))],
    });
  }
  for (const event of events) {
    entries.push(eventEntry(event));
    if (publishedTypes.has(event.type) && event.data !== null) {
      entries.push({
        kind: 'integration-published',
        position: event.globalPosition,
        eventId: event.eventId,
        contract: integrationEventOf(event as unknown as PublishedEvent).contract,
        state: readPast(relay, event) ? 'published' : 'pending',
      });
    }
  }
  for (const event of mailed) {
    const messageId = notificationMessageId(event);
    const message = mailOf.get(messageId);
    entries.push({
      kind: 'mail',
      position: event.globalPosition,
      eventId: event.eventId,
      mailKind: notificationKinds[event.type as NotificationEvent['type']],
      messageId,
      state: message || readPast(notifications, event) ? 'sent' : 'pending',
      to: message?.to ?? null,
      subject: message?.subject ?? null,
      sentAt: message?.sentAt ?? null,
    });
  }
  return entries.sort((a, b) => a.position - b.position || rank[a.kind] - rank[b.kind]);
}
