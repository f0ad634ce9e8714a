import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Link } from '@opentelemetry/api';
import type { OutgoingMessage, ReceivedMessage, WireMessage } from './messages';

/**
 * W3C trace context across the broker (https://www.w3.org/TR/trace-context/): a publish is a PRODUCER span whose
 * context travels in the message's `traceparent` and `tracestate` headers, and a consumer handles the message
 * inside a CONSUMER span continuing it, so one trace follows a request from the shop to the warehouse and back.
 * Only @opentelemetry/api: each process installs its own provider (or none), and the contracts stay free of
 * either side's code.
 *
 * Without a provider the API's propagator is its no-op, whose `fields()` is empty: every helper here checks
 * that first and does nothing else, so a process without an OTLP endpoint pays a function call per message.
 */

/** A message's or an event's trace context, as its W3C headers. */
export type TraceContext = { readonly traceparent?: string; readonly tracestate?: string };

/** The system the spans name: `nats`, or the in-process transport of zero setup. */
export type MessagingSystem = 'nats' | 'in-process';

const tracer = () => trace.getTracer('hindsight-contracts');

/** True once a tracer provider installed its propagator (NodeTracerProvider.register() does). */
export function tracingOn(): boolean {
  return propagation.fields().length > 0;
}

/** The active (or given) context as W3C headers, to store with what a later step publishes; undefined when not tracing. */
export function currentTraceContext(active: Context = context.active()): TraceContext | undefined {
  if (!tracingOn()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent };
}

/** The context that headers (or a stored trace context) carry; the root context when they carry none or a malformed one. */
export function contextOf(carrier: TraceContext | Readonly<Record<string, string>> | null | undefined): Context {
  if (!carrier || !carrier.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** A publish under way: the wire's headers with the producer span's context in them, and how to end the span. */
export type Publication = { readonly wire: WireMessage; end(error?: unknown): void };

const untraced = (wire: WireMessage): Publication => ({ wire, end() {} });

/**
 * Starts the PRODUCER span of one message (`publish <subject>`) and injects its context into the message's headers.
 *
 * Its parent: a message created in another trace (the command whose event the relay publishes, long after, in a
 * batch of its own; the warehouse request an outcome answers) continues that trace, so the command, the publish,
 * the warehouse's handling and its answer are one trace; the span then links to the publishing batch's span. When
 * the active span is already in the message's trace (a live batch of that one command), the publish is its child.
 */
export function startPublish(wire: WireMessage, message: OutgoingMessage, system: MessagingSystem): Publication {
  if (!tracingOn()) return untraced(wire);
  const active = context.active();
  const activeSpan = trace.getSpanContext(active);
  const own = message.traceparent ? contextOf({ traceparent: message.traceparent, tracestate: message.tracestate }) : undefined;
  const ownSpan = own ? trace.getSpanContext(own) : undefined;
  const continuesActive = !ownSpan || ownSpan.traceId === activeSpan?.traceId;
  const parent = continuesActive ? active : own!;
  const links: Link[] = !continuesActive && activeSpan ? [{ context: activeSpan }] : [];
  const span = tracer().startSpan(
    `publish ${wire.subject}`,
    {
      kind: SpanKind.PRODUCER,
      links,
      attributes: {
        'messaging.system': system,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.destination.name': wire.subject,
        'messaging.message.id': message.id,
        'messaging.message.conversation_id': message.correlationId,
        'hindsight.contract': message.contract,
        'hindsight.correlation_id': message.correlationId,
      },
    },
    parent,
  );
  const headers: Record<string, string> = { ...wire.headers };
  propagation.inject(trace.setSpan(parent, span), headers);
  return {
    wire: { ...wire, headers },
    end(error) {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  };
}

/**
 * Runs a subscription's handler inside a CONSUMER span (`process <subject>`) continuing the trace the message's
 * headers carry; a message without them (an old one, another producer's) starts a trace of its own. What the
 * handler does (an append, an outbox row) happens in that span's context, and can store it to carry it on.
 */
export function processTraced(
  wire: WireMessage,
  message: ReceivedMessage,
  subscription: string,
  system: MessagingSystem,
  handle: () => Promise<void>,
): Promise<void> {
  if (!tracingOn()) return handle();
  const attributes = {
    'messaging.system': system,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': wire.subject,
    'messaging.consumer.group.name': subscription,
    'messaging.message.id': message.id,
    'hindsight.contract': message.contract,
    ...(message.correlationId ? { 'messaging.message.conversation_id': message.correlationId, 'hindsight.correlation_id': message.correlationId } : {}),
  };
  return tracer().startActiveSpan(`process ${wire.subject}`, { kind: SpanKind.CONSUMER, attributes }, contextOf(wire.headers), async (span) => {
    try {
      await handle();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
