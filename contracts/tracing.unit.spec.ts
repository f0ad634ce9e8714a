import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { decode, encode, headerNames, type ReceivedMessage } from './messages';
import { subjects } from './subjects';
import { shipmentRequest } from './testing';
import { currentTraceContext, processTraced, startPublish, tracingOn } from './tracing';
import { inProcessTransport } from './transport';

/**
 * Trace context in the wire format: absent, a message decodes and is handled as before (old messages, other
 * producers); with a provider, a publish puts its span's context in the headers and the handler continues it.
 */
const names = subjects('hindsight');
let provider: NodeTracerProvider | undefined;

function traced(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return exporter;
}

afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
  propagation.disable();
  context.disable();
});

/** Delivers one message over the in-process transport; resolves to what the handler saw. */
async function deliverOne(transport = inProcessTransport()): Promise<{ message: ReceivedMessage; traceId: string | undefined }> {
  let seen: { message: ReceivedMessage; traceId: string | undefined } | undefined;
  transport.subscribe({
    name: 'test',
    filter: transport.subjects.filter('shop', 'shipment'),
    keyOf: (message) => message.payload.orderId,
    async handle(message) {
      seen = { message, traceId: trace.getActiveSpan()?.spanContext().traceId };
    },
  });
  await transport.publish([shipmentRequest()]);
  if (!seen) throw new Error('the handler was not called');
  return seen;
}

describe('trace context on the wire', () => {
  it('adds nothing without a tracer provider: no headers, no context, the handler as it was', async () => {
    expect(tracingOn()).toBe(false);
    const wire = encode(names, shipmentRequest());
    const publication = startPublish(wire, shipmentRequest(), 'nats');
    expect(publication.wire).toBe(wire);
    expect(publication.wire.headers[headerNames.traceparent]).toBeUndefined();
    expect(currentTraceContext()).toBeUndefined();
    const { message, traceId } = await deliverOne();
    expect(message.contract).toBe('shipment.requested');
    expect(traceId).toBeUndefined();
  });

  it('decodes and handles a message without trace headers in a trace of its own', async () => {
    const exporter = traced();
    const wire = encode(names, shipmentRequest());
    expect(wire.headers[headerNames.traceparent]).toBeUndefined();
    const decoded = decode(names, wire);
    if (!decoded.ok) throw new Error(decoded.reason);
    let handled = false;
    await processTraced(wire, decoded.message, 'test', 'nats', async () => {
      handled = true;
    });
    expect(handled).toBe(true);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe(`process ${wire.subject}`);
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it('ignores a malformed traceparent: the message is handled, in a trace of its own', async () => {
    const exporter = traced();
    const wire = encode(names, shipmentRequest());
    const garbled = { ...wire, headers: { ...wire.headers, [headerNames.traceparent]: 'not-a-trace' } };
    const decoded = decode(names, garbled);
    if (!decoded.ok) throw new Error(decoded.reason);
    await processTraced(garbled, decoded.message, 'test', 'nats', async () => {});
    expect(exporter.getFinishedSpans()[0]?.parentSpanContext).toBeUndefined();
  });

  it('carries the publishing span’s trace to the handler over the in-process transport', async () => {
    const exporter = traced();
    const { traceId, publishing } = await trace.getTracer('test').startActiveSpan('command', async (span) => {
      const { traceId: seen } = await deliverOne();
      span.end();
      return { traceId: seen, publishing: span.spanContext().traceId };
    });
    expect(traceId).toBe(publishing);
    const spans = exporter.getFinishedSpans();
    const publish = spans.find((span) => span.name.startsWith('publish '));
    const process = spans.find((span) => span.name.startsWith('process '));
    expect(publish?.attributes['messaging.system']).toBe('in-process');
    expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  });
});
