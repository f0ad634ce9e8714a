import { decode, type OutgoingMessage, type WireMessage } from '../messages';
import { subjects as subjectsFor } from '../subjects';
import { processTraced, startPublish } from '../tracing';
import { Lanes } from './lanes';
import { encodeAll } from './rejections';
import type { IntegrationTransport, PublishReceipt, Subscription } from './types';

/**
 * The zero-setup transport: no broker, one process. A publish hands each message to every subscription whose
 * filter matches (a key's messages in order, other keys side by side) and resolves only after their handlers did, so the producer's acknowledgement means what it
 * means with JetStream: the message is safe (here: already handled). A handler that throws rejects the publish,
 * and the producer publishes again later; handlers dedupe by message id, as they must with the broker.
 *
 * What it lacks is the broker's: messages are not kept, so subscribers must subscribe before the producers
 * start (a message nobody subscribed to is dropped, as a subject without a stream would drop it), and other
 * processes cannot listen in. The README's run modes say what the broker adds.
 */
export function inProcessTransport(prefix = 'hindsight'): IntegrationTransport {
  const subjects = subjectsFor(prefix);
  const subscriptions = new Set<Subscription>();
  const deadLetters = new Map<string, number>();
  let published = 0;
  const matches = (filter: string, subject: string) =>
    filter.endsWith('.>') ? subject.startsWith(filter.slice(0, -1)) : filter === subject;

  /**
   * Hands a subscription the messages it matches: a key's one after another in order, different keys side by
   * side (as a JetStream consumer's lanes do), and resolves once all were handled. A key whose message failed
   * gets none of its later ones, so a key's messages are never handled out of order; the whole publish rejects.
   */
  async function deliver(subscription: Subscription, messages: readonly OutgoingMessage[], wires: readonly WireMessage[]): Promise<void> {
    const lanes = new Lanes(subscription.concurrency ?? 16);
    const failedKeys = new Set<string>();
    let failure: { error: unknown } | null = null;
    for (const [index, wire] of wires.entries()) {
      if (!matches(subscription.filter, wire.subject)) continue;
      const decoded = decode(subjects, wire);
      if (!decoded.ok) {
        deadLetters.set(subscription.name, (deadLetters.get(subscription.name) ?? 0) + 1);
        subscription.onProblem?.({ kind: 'dead-lettered', subscription: subscription.name, subject: wire.subject, reason: decoded.reason });
        continue;
      }
      const key = subscription.keyOf(decoded.message);
      await lanes.ready();
      lanes.add(key, async () => {
        if (failedKeys.has(key)) return;
        try {
          await processTraced(wire, decoded.message, subscription.name, 'in-process', () => subscription.handle(decoded.message));
        } catch (error) {
          failedKeys.add(key);
          failure ??= { error };
          subscription.onProblem?.({ kind: 'handler-failed', subscription: subscription.name, messageId: messages[index]!.id, error });
        }
      });
    }
    await lanes.drained();
    if (failure) throw (failure as { error: unknown }).error;
  }

  return {
    kind: 'in-process',
    subjects,
    async ensureStream() {},
    async publish(messages) {
      // All encoded before the first is delivered: a message that breaks its contract delivers none of them.
      // Each with its publish span's context in its headers, as over NATS, so a handler continues the same trace.
      const publications = encodeAll(subjects, messages).map((wire, index) => startPublish(wire, messages[index]!, 'in-process'));
      const wires = publications.map((publication) => publication.wire);
      try {
        for (const subscription of [...subscriptions]) await deliver(subscription, messages, wires);
      } catch (error) {
        for (const publication of publications) publication.end(error);
        throw error;
      }
      for (const publication of publications) publication.end();
      published += messages.length;
      return messages.map((message): PublishReceipt => ({ id: message.id, duplicate: false }));
    },
    subscribe(subscription) {
      subscriptions.add(subscription);
      return {
        async stop() {
          subscriptions.delete(subscription);
        },
      };
    },
    async stats() {
      return {
        kind: 'in-process',
        stream: null,
        connected: true,
        messages: published,
        deadLetters: [...deadLetters].map(([consumer, count]) => ({ consumer, count })),
      };
    },
    async close() {
      subscriptions.clear();
    },
  };
}
