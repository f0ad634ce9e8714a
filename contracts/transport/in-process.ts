import { decode, encode, type OutgoingMessage, type WireMessage } from '../messages';
import { subjects as subjectsFor } from '../subjects';
import type { IntegrationTransport, PublishReceipt, Subscription } from './types';

/**
 * The zero-setup transport: no broker, one process. A publish hands each message to every subscription whose
 * filter matches and resolves only after their handlers did, so the producer's acknowledgement means what it
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

  async function deliver(subscription: Subscription, message: OutgoingMessage, wire: WireMessage): Promise<void> {
    if (!matches(subscription.filter, wire.subject)) return;
    const decoded = decode(subjects, wire);
    if (!decoded.ok) {
      deadLetters.set(subscription.name, (deadLetters.get(subscription.name) ?? 0) + 1);
      subscription.onProblem?.({ kind: 'dead-lettered', subscription: subscription.name, subject: wire.subject, reason: decoded.reason });
      return;
    }
    try {
      await subscription.handle(decoded.message);
    } catch (error) {
      subscription.onProblem?.({ kind: 'handler-failed', subscription: subscription.name, messageId: message.id, error });
      throw error;
    }
  }

  return {
    kind: 'in-process',
    subjects,
    async ensureStream() {},
    async publish(messages) {
      // All encoded before the first is delivered: a message that breaks its contract delivers none of them.
      const wires = messages.map((message) => encode(subjects, message));
      const receipts: PublishReceipt[] = [];
      // In order, one at a time: a subscriber sees a key's messages in the order they were published.
      for (const [index, message] of messages.entries()) {
        for (const subscription of subscriptions) await deliver(subscription, message, wires[index]!);
        published++;
        receipts.push({ id: message.id, duplicate: false });
      }
      return receipts;
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
