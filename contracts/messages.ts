import { integrationEvents, type ContractName, type IntegrationEvent } from './events';
import type { Subjects } from './subjects';

/**
 * One integration event on the wire: a JSON body (the payload alone) and headers for what is about the
 * message rather than its content. `Nats-Msg-Id` is JetStream's own header, by which the stream drops a
 * repeat within its duplicate window; consumers also dedupe by it, for ever, in their inbox tables.
 */
export const headerNames = {
  messageId: 'Nats-Msg-Id',
  contract: 'Hindsight-Contract',
  version: 'Hindsight-Contract-Version',
  occurredAt: 'Hindsight-Occurred-At',
  correlationId: 'Hindsight-Correlation-Id',
  causationId: 'Hindsight-Causation-Id',
  deadLetterReason: 'Hindsight-Dead-Letter-Reason',
  originalSubject: 'Hindsight-Original-Subject',
  /**
   * W3C trace context (https://www.w3.org/TR/trace-context/): the publish span's, set by the transport when the
   * producer traces (./tracing.ts). Optional: a message without them decodes and is handled the same.
   */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** What a producer hands the transport. The id must be stable: publishing it again must be a repeat. */
export type OutgoingMessage = IntegrationEvent & {
  readonly id: string;
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  /**
   * The trace the message was created in (the command's, stored with its event; the request an outcome answers),
   * as W3C headers: its publish span continues that trace. Absent when the producer did not trace.
   */
  readonly traceparent?: string;
  readonly tracestate?: string;
};

/** A message as it arrived, decoded and checked against its contract. */
export type ReceivedMessage = IntegrationEvent & {
  readonly id: string;
  readonly subject: string;
  readonly occurredAt: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
};

/** The raw form both transports carry. */
export type WireMessage = { readonly subject: string; readonly headers: Readonly<Record<string, string>>; readonly body: string };

export function encode(names: Subjects, message: OutgoingMessage): WireMessage {
  const contract = integrationEvents[message.contract];
  // A producer's bug must fail at the producer, not as a dead letter at every consumer.
  const payload = contract.schema.parse(message.payload);
  return {
    subject: names.of(message.contract),
    headers: {
      [headerNames.messageId]: message.id,
      [headerNames.contract]: message.contract,
      [headerNames.version]: String(contract.version),
      [headerNames.occurredAt]: message.occurredAt,
      [headerNames.correlationId]: message.correlationId,
      [headerNames.causationId]: message.causationId,
    },
    body: JSON.stringify(payload),
  };
}

export type Decoded = { readonly ok: true; readonly message: ReceivedMessage } | { readonly ok: false; readonly reason: string };

/**
 * Checks a message against the contract its subject names: the subject must be one of ours, the headers must
 * agree with it, and the body must be JSON that the contract's schema accepts. A message that fails is not
 * retried (it would fail again): the consumer sets it aside as a dead letter, with this reason.
 */
export function decode(names: Subjects, wire: WireMessage): Decoded {
  const contract = names.contractOf(wire.subject);
  if (!contract) return { ok: false, reason: `${wire.subject} is not a subject of any contract this consumer knows` };
  const id = wire.headers[headerNames.messageId];
  if (!id) return { ok: false, reason: `the message has no ${headerNames.messageId} header` };
  const declared = wire.headers[headerNames.contract];
  if (declared !== undefined && declared !== contract) {
    return { ok: false, reason: `the ${headerNames.contract} header says ${declared}, the subject ${contract}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(wire.body);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  const parsed = integrationEvents[contract].schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    return { ok: false, reason: `the body does not match ${contract} v${integrationEvents[contract].version}: ${issues.join('; ')}` };
  }
  return {
    ok: true,
    message: {
      contract,
      payload: parsed.data,
      id,
      subject: wire.subject,
      occurredAt: wire.headers[headerNames.occurredAt] ?? null,
      correlationId: wire.headers[headerNames.correlationId] ?? null,
      causationId: wire.headers[headerNames.causationId] ?? null,
    } as ReceivedMessage,
  };
}

export type { ContractName };
