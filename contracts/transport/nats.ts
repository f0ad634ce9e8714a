import { connect, headers as natsHeaders, nanos, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { decode, headerNames, type WireMessage } from '../messages';
import { subjects as subjectsFor } from '../subjects';
import { processTraced, startPublish } from '../tracing';
import { Lanes } from './lanes';
import { encodeAll, MessagesRejectedError, type MessageRejection } from './rejections';
import type { IntegrationTransport, PublishReceipt, Subscription } from './types';

export type NatsTransportOptions = {
  /** nats://host:port, or several separated by commas (a cluster). */
  readonly servers: string;
  /** The JetStream stream that holds every subject under the prefix. */
  readonly stream: string;
  readonly prefix: string;
  /** Shown in the server's connection list. */
  readonly name: string;
  /** How long JetStream remembers a message id and drops its repeat (default 2 minutes). */
  readonly duplicateWindowMs?: number;
  /** How long the stream keeps messages (default 7 days): long enough for a consumer down over a weekend. */
  readonly maxAgeMs?: number;
  /** How long a publish waits for its acknowledgement (default 5 s). */
  readonly publishTimeoutMs?: number;
  /**
   * How long a delivered message may stay unacknowledged before it is delivered again (default 30 s): the
   * longest a handler may take, and how soon a message held by a process that died comes back.
   */
  readonly ackWaitMs?: number;
};

/** How often a subscription that could not start (broker down, stream missing) tries again. */
const resubscribeMs = 1_000;

/**
 * Integration events over NATS JetStream. One connection per process; it reconnects by itself for as long as
 * the process lives, and the first connection is tried for until it succeeds, so a process started while the
 * broker is down starts anyway and connects when it comes up. Meanwhile a publish fails (after its timeout),
 * which a producer answers by publishing again later.
 */
export function natsTransport(options: NatsTransportOptions): IntegrationTransport {
  const subjects = subjectsFor(options.prefix);
  const publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
  let closed = false;
  const connection = firstConnection();
  // Nothing may wait on it yet; a failure surfaces at the first use.
  connection.catch(() => {});
  let clients: { js: JetStreamClient; jsm: JetStreamManager } | null = null;

  /**
   * Tries to connect until a broker answers or the transport is closed; once connected, the client itself
   * reconnects for ever. (The client's own wait for a first connection cannot be called off, and would keep a
   * process that never met its broker from exiting.)
   */
  async function firstConnection(): Promise<NatsConnection> {
    for (;;) {
      try {
        return await connect({
          servers: options.servers.split(',').map((server) => server.trim()),
          name: options.name,
          timeout: 2_000,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
        });
      } catch (error) {
        if (closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000).unref());
        if (closed) throw error;
      }
    }
  }
  const stops = new Set<() => Promise<void>>();

  async function client() {
    if (!clients) {
      const nc = await connection;
      clients = { js: jetstream(nc), jsm: await jetstreamManager(nc) };
    }
    return clients;
  }

  /** Gives up after `ms` instead of waiting for a broker that is not there. */
  function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`NATS at ${options.servers} did not answer ${what} within ${ms} ms`)), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  const streamConfig: Partial<StreamConfig> & { name: string } = {
    name: options.stream,
    subjects: [subjects.all],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(options.maxAgeMs ?? 7 * 24 * 3_600_000),
    duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
  };

  async function ensureStream(): Promise<void> {
    const { jsm } = await within(publishTimeoutMs, 'a connection', client());
    const existing = await jsm.streams.info(options.stream).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (!existing) await jsm.streams.add(streamConfig);
    else await jsm.streams.update(options.stream, streamConfig);
  }

  async function ensureConsumer(subscription: Subscription): Promise<void> {
    const { jsm } = await client();
    const config = {
      durable_name: subscription.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subscription.filter,
      // Unacknowledged after this long (a handler stuck, a process killed): delivered again.
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_ack_pending: 1_000,
    };
    const existing = await jsm.consumers.info(options.stream, subscription.name).catch((error: unknown) => {
      if (isNotFound(error)) return null;
      throw error;
    });
    if (!existing) await jsm.consumers.add(options.stream, config);
    else if (existing.config.filter_subject !== config.filter_subject) await jsm.consumers.update(options.stream, subscription.name, config);
  }

  /** Sets a refused message aside under the consumer's dead-letter subject, with why, then lets it go. */
  async function deadLetter(subscription: Subscription, message: JsMsg, reason: string): Promise<void> {
    const { js } = await client();
    const hdrs = natsHeaders();
    for (const [key, values] of message.headers ?? []) for (const value of values) hdrs.append(key, value);
    // Its own id, so a redelivered refusal is stored once: the original id is the stream's, per consumer.
    hdrs.set(headerNames.messageId, `${subscription.name}:${message.headers?.get(headerNames.messageId) || `seq-${message.seq}`}`);
    hdrs.set(headerNames.deadLetterReason, reason.slice(0, 1_000));
    hdrs.set(headerNames.originalSubject, message.subject);
    await js.publish(subjects.deadLetter(subscription.name), message.data, { headers: hdrs, msgID: hdrs.get(headerNames.messageId), timeout: publishTimeoutMs });
    subscription.onProblem?.({ kind: 'dead-lettered', subscription: subscription.name, subject: message.subject, reason });
    message.ack();
  }

  async function run(subscription: Subscription, stopped: AbortSignal): Promise<void> {
    const lanes = new Lanes(subscription.concurrency ?? 16);
    while (!stopped.aborted && !closed) {
      try {
        await abortable(stopped, ensureConsumer(subscription));
        const { js } = await client();
        const consumer = await js.consumers.get(options.stream, subscription.name);
        const messages = await consumer.consume({ max_messages: 256 });
        const stop = () => messages.stop();
        stopped.addEventListener('abort', stop, { once: true });
        try {
          for await (const message of messages) {
            const wire: WireMessage = { subject: message.subject, headers: headersOf(message.headers), body: message.string() };
            const decoded = decode(subjects, wire);
            if (!decoded.ok) {
              await deadLetter(subscription, message, decoded.reason);
              continue;
            }
            await lanes.ready();
            lanes.add(subscription.keyOf(decoded.message), async () => {
              try {
                await processTraced(wire, decoded.message, subscription.name, 'nats', () => subscription.handle(decoded.message));
                message.ack();
              } catch (error) {
                subscription.onProblem?.({ kind: 'handler-failed', subscription: subscription.name, messageId: decoded.message.id, error });
                // Again later, a little later each time it fails.
                message.nak(Math.min(30_000, 500 * 2 ** Math.min(message.info.deliveryCount, 6)));
              }
            });
          }
        } finally {
          stopped.removeEventListener('abort', stop);
          await lanes.drained();
        }
      } catch (error) {
        if (stopped.aborted || closed) break;
        subscription.onProblem?.({ kind: 'subscription-failed', subscription: subscription.name, error });
      }
      if (!stopped.aborted && !closed) await new Promise((resolve) => setTimeout(resolve, resubscribeMs));
    }
  }

  return {
    kind: 'nats',
    subjects,
    ensureStream,
    async publish(messages) {
      if (messages.length === 0) return [];
      // All encoded before the first is sent: a message that breaks its contract sends none of them.
      const wires = encodeAll(subjects, messages);
      const { js } = await within(publishTimeoutMs, 'a connection', client());
      // Sent back to back and acknowledged together: JetStream stores one connection's messages in the order
      // it received them, so pipelining keeps the order and saves a round trip per message.
      const acks = wires.map((untraced, index) => {
        // A span per message, ended at its acknowledgement; its context goes in the message's headers.
        const publication = startPublish(untraced, messages[index]!, 'nats');
        const { wire } = publication;
        const hdrs = natsHeaders();
        for (const [key, value] of Object.entries(wire.headers)) hdrs.set(key, value);
        const ack = js.publish(wire.subject, wire.body, { msgID: messages[index]!.id, headers: hdrs, timeout: publishTimeoutMs });
        ack.then(() => publication.end(), (error: unknown) => publication.end(error));
        return ack;
      });
      const settled = await Promise.allSettled(acks);
      // Any failure of the broker's state (a timeout, no stream yet) fails the publish as it is: publish again.
      // Only when every failure was a refusal of the message itself does the error say which were refused.
      const rejections: MessageRejection[] = [];
      for (const [index, result] of settled.entries()) {
        if (result.status === 'fulfilled') continue;
        if (!isRefusal(result.reason)) throw result.reason;
        rejections.push({ id: messages[index]!.id, reason: `JetStream refused it: ${(result.reason as Error).message}` });
      }
      if (rejections.length > 0) throw new MessagesRejectedError(rejections);
      return settled.map((result, index): PublishReceipt => ({
        id: messages[index]!.id,
        duplicate: (result as PromiseFulfilledResult<{ duplicate: boolean }>).value.duplicate,
      }));
    },
    subscribe(subscription) {
      const controller = new AbortController();
      const done = run(subscription, controller.signal);
      const stop = async () => {
        controller.abort();
        await done;
        stops.delete(stop);
      };
      stops.add(stop);
      return { stop };
    },
    async stats() {
      try {
        const { jsm } = await within(2_000, 'a connection', client());
        const info = await within(2_000, 'stream info', jsm.streams.info(options.stream, { subjects_filter: `${subjects.prefix}.deadletter.>` }));
        const deadLetters = Object.entries(info.state.subjects ?? {}).map(([subject, count]) => ({
          consumer: subject.slice(`${subjects.prefix}.deadletter.`.length),
          count,
        }));
        return { kind: 'nats', stream: options.stream, connected: true, messages: info.state.messages, deadLetters };
      } catch (error) {
        return {
          kind: 'nats',
          stream: options.stream,
          connected: false,
          messages: null,
          deadLetters: [],
          problem: isNotFound(error) ? `the stream ${options.stream} does not exist yet` : error instanceof Error ? error.message : String(error),
        };
      }
    },
    async close() {
      closed = true;
      await Promise.all([...stops].map((stop) => stop()));
      // A connection still being tried for (the broker is down) gives up within a second, or is closed when it comes.
      const nc = await Promise.race([connection, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]).catch(() => null);
      if (nc) await nc.drain().catch(() => nc.close());
      else void connection.then((late) => late.close()).catch(() => {});
    },
  };
}

/** Rejects as soon as the signal aborts: a subscription stopped while the broker is away stops at once. */
function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function headersOf(hdrs: MsgHdrs | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, values] of hdrs ?? []) if (values[0] !== undefined) result[key] = values[0];
  return result;
}

/**
 * JetStream's answer 400 to a publish: the message itself is refused (over the stream's size limit, a header
 * it will not take), and will be refused again. Stream not found (10059) is a 404 and a 503 is JetStream
 * unavailable, both states that pass. By name, as the web server's bundles may each hold a copy of the class.
 */
function isRefusal(error: unknown): boolean {
  return error instanceof Error && error.name === 'JetStreamApiError' && (error as Error & { status?: number }).status === 400;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}
