import type { OutgoingMessage, ReceivedMessage } from '../messages';
import type { Subjects } from '../subjects';

/**
 * How integration events travel: NATS JetStream in the full stack (./nats.ts), or calls inside one process in
 * zero-setup mode (./in-process.ts). Producers and consumers are written once, against this type, and behave
 * the same on both: a publish resolves once the message is safely on its way (JetStream stored it; in process:
 * every subscriber has handled it), and a consumer's message is acknowledged only once its handler resolved.
 */
export type IntegrationTransport = {
  readonly kind: 'nats' | 'in-process';
  readonly subjects: Subjects;
  /**
   * Creates the stream, or updates its settings (subjects, retention, duplicate window) to this code's: the
   * producers call it at start-up. Idempotent.
   */
  ensureStream(): Promise<void>;
  /**
   * Publishes in order; resolves when every message is acknowledged, rejects if any is not (publish again).
   * Every message is encoded against its contract before the first is sent, so one that breaks it rejects
   * the publish with nothing sent. When the only failures are messages refused for good (their contract, or
   * the broker refusing them), the error is a `MessagesRejectedError` naming them (./rejections.ts).
   */
  publish(messages: readonly OutgoingMessage[]): Promise<readonly PublishReceipt[]>;
  /** Starts delivering to `subscription` until the returned handle is stopped or the transport closed. */
  subscribe(subscription: Subscription): RunningSubscription;
  stats(): Promise<TransportStats>;
  close(): Promise<void>;
};

export type PublishReceipt = {
  readonly id: string;
  /** The broker already had this message id within its duplicate window: stored once, not twice. */
  readonly duplicate: boolean;
};

export type Subscription = {
  /** The consumer's durable name: its position survives restarts, and its dead letters are filed under it. */
  readonly name: string;
  /** Which subjects: one wildcard filter (`subjects.filter(...)`). */
  readonly filter: string;
  /** Messages with the same key are handled one after another, in the stream's order; other keys side by side. */
  readonly keyOf: (message: ReceivedMessage) => string;
  /** Keys handled at once, at most (default 16). */
  readonly concurrency?: number;
  /**
   * Resolves once the message's effect is committed: the message is then acknowledged. A handler that throws
   * is tried again later (the broker redelivers), so it must be idempotent: consumers dedupe by message id.
   */
  handle(message: ReceivedMessage): Promise<void>;
  /** Told about handler failures and refused messages; the transport carries on. */
  readonly onProblem?: (problem: TransportProblem) => void;
};

export type TransportProblem =
  | { readonly kind: 'handler-failed'; readonly subscription: string; readonly messageId: string; readonly error: unknown }
  | { readonly kind: 'dead-lettered'; readonly subscription: string; readonly subject: string; readonly reason: string }
  | { readonly kind: 'subscription-failed'; readonly subscription: string; readonly error: unknown };

export type RunningSubscription = {
  /** Stops taking messages and waits for the ones in hand. */
  stop(): Promise<void>;
};

export type TransportStats = {
  readonly kind: IntegrationTransport['kind'];
  /** The JetStream stream, or null in process. */
  readonly stream: string | null;
  readonly connected: boolean;
  /** Messages stored in the stream (JetStream), or published since this process started (in process). */
  readonly messages: number | null;
  /** Refused messages, by the consumer that refused them. */
  readonly deadLetters: readonly { readonly consumer: string; readonly count: number }[];
  /** Why the numbers are missing, when the broker could not be asked. */
  readonly problem?: string;
};
