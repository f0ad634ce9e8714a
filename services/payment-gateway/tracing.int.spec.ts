import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { card, cardNumber, newKey, useGatewayDatabase } from './testing-hooks';

/**
 * Trace context over the gateway's HTTP API: a charge made inside the shop's span is a CLIENT span there, and
 * the gateway serves it in a SERVER span of the same trace, its child. Both sides in this process, over real
 * HTTP, their spans kept in memory.
 */
const ctx = useGatewayDatabase();
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

describe('payment gateway traces', () => {
  it("answers a charge in a server span that continues the client's trace", async () => {
    const client = ctx.client;
    const { token } = await client.tokenize(card(cardNumber('approve')));
    const key = newKey();
    const tracer = trace.getTracer('test');
    const paymentStep = await tracer.startActiveSpan('payment step', async (span) => {
      await client.charge({ idempotencyKey: key, token, amountCents: 1_250, currency: 'USD' });
      await client.lookupCharge(key);
      span.end();
      return span.spanContext();
    });
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const named = (name: string, kind: SpanKind) => spans.filter((span) => span.name === name && span.kind === kind);

    const [charge] = named('POST /v1/charges', SpanKind.CLIENT).filter((span) => span.spanContext().traceId === paymentStep.traceId);
    expect(charge).toBeDefined();
    expect(charge!.parentSpanContext?.spanId).toBe(paymentStep.spanId);
    expect(charge!.attributes['http.response.status_code']).toBe(200);
    const [served] = named('POST /v1/charges', SpanKind.SERVER).filter((span) => span.parentSpanContext?.spanId === charge!.spanContext().spanId);
    expect(served).toBeDefined();
    expect(served!.spanContext().traceId).toBe(paymentStep.traceId);
    expect(served!.attributes['http.route']).toBe('/v1/charges');
    expect(served!.attributes['http.response.status_code']).toBe(200);

    // A path with a key in it is named by its route, not by the key.
    const [lookup] = named('GET /v1/charges/{idempotencyKey}', SpanKind.CLIENT);
    expect(lookup?.spanContext().traceId).toBe(paymentStep.traceId);
    expect(named('GET /v1/charges/{idempotencyKey}', SpanKind.SERVER).map((span) => span.spanContext().traceId)).toContain(paymentStep.traceId);
  });

  it('serves a request without trace headers in a trace of its own', async () => {
    exporter.reset();
    const response = await fetch(`${ctx.gateway.url}/health`);
    expect(response.status).toBe(200);
    await provider.forceFlush();
    const [served] = exporter.getFinishedSpans().filter((span) => span.name === 'GET /health');
    expect(served).toBeDefined();
    expect(served!.kind).toBe(SpanKind.SERVER);
    expect(served!.parentSpanContext).toBeUndefined();
  });
});
