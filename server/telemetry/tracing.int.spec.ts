import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { projections } from '@/projections';
import { postgresSearch } from '@/server/search';
import { useRouterHarness } from '@/server/testing';
import { handleApiRequest } from '@/server/trpc/http';
import { measuredConsumer } from './measured-consumer';
import { measuredEventStore } from './measured-store';
import { flushTracing, startTracing, stopTracing, tracer } from './tracing';

/**
 * Traces as a collector receives them: a loopback HTTP listener stands where OTEL_EXPORTER_OTLP_ENDPOINT
 * points, and every span the shop ends arrives there as an OTLP/HTTP JSON export once flushed.
 */
const harness = useRouterHarness();

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; arrayValue?: { values: OtlpValue[] } };
type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: { key: string; value: OtlpValue }[] };
type OtlpExport = {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
};

/** What the collector was sent: each request's path and body. */
const received: { path: string; contentType: string; body: OtlpExport }[] = [];
const collector = createServer((request, response) => {
  readBody(request).then((raw) => {
    received.push({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: JSON.parse(raw.toString('utf8')) as OtlpExport });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }, (error: unknown) => response.writeHead(400).end(String(error)));
});

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await stopTracing();
  await new Promise<void>((resolve) => collector.close(() => resolve()));
});

function spans(): OtlpSpan[] {
  return received.flatMap(({ body }) => body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
}

function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((candidate) => candidate.key === key)?.value;
  if (!value) return undefined;
  if (value.arrayValue) return value.arrayValue.values.map((item) => item.stringValue);
  return value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue));
}

function addItem(productId: string, correlationId: string): Promise<Response> {
  const input = { idempotencyKey: randomUUID(), productId, quantity: 1 };
  const request = new Request('http://localhost:3999/api/trpc/cart.addItem', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: JSON.stringify(superjson.serialize(input)),
  });
  const backends = {
    database: { db: harness.db, store: measuredEventStore(harness.store) },
    auth: harness.auth,
    search: postgresSearch,
    payments: harness.payments,
  };
  return handleApiRequest(request, backends);
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('records nothing while no endpoint is configured', () => {
    startTracing({ endpoint: undefined, serviceName: 'hindsight-test' });
    const span = tracer().startSpan('unseen');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it("exports a command's procedure span, its append and the consumer batch that applied it, by correlation id", async () => {
    const product = await harness.listProduct(10);
    const { port } = collector.address() as AddressInfo;
    // A trailing slash as an operator might write it: the traces still go to /v1/traces.
    startTracing({ endpoint: `http://127.0.0.1:${port}/`, serviceName: 'hindsight-test' });

    const correlationId = `trace-${randomUUID()}`;
    expect((await addItem(product.productId, correlationId)).status).toBe(200);
    const carts = measuredConsumer(projections.find((projection) => projection.name.startsWith('carts'))!);
    await catchUp({ orm: harness.db.orm, store: harness.store }, carts, { batchSize: 1_000 });
    await flushTracing();

    expect(received.length).toBeGreaterThan(0);
    expect(received.every(({ path, contentType }) => path === '/v1/traces' && contentType.includes('application/json'))).toBe(true);
    const resource = received[0]!.body.resourceSpans[0]!.resource;
    expect(resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'hindsight-test' } });

    const procedure = spans().find((span) => span.name === 'cart.addItem' && attribute(span, 'hindsight.correlation_id') === correlationId);
    expect(procedure).toBeDefined();
    expect(attribute(procedure!, 'rpc.system')).toBe('trpc');
    expect(attribute(procedure!, 'rpc.method')).toBe('cart.addItem');
    expect(attribute(procedure!, 'rpc.trpc.code')).toBe('OK');
    expect(procedure!.kind).toBe(2); // SERVER

    const append = spans().find((span) => span.name === 'eventstore.append' && span.parentSpanId === procedure!.spanId);
    expect(append).toBeDefined();
    expect(append!.traceId).toBe(procedure!.traceId);
    expect(attribute(append!, 'hindsight.correlation_id')).toBe(correlationId);
    expect(attribute(append!, 'hindsight.outcome')).toBe('appended');

    const batch = spans().find(
      (span) => span.name === `consume ${carts.name}` && (attribute(span, 'hindsight.correlation_ids') as string[] | undefined)?.includes(correlationId),
    );
    expect(batch).toBeDefined();
    expect(attribute(batch!, 'hindsight.consumer')).toBe(carts.name);
    expect(attribute(batch!, 'messaging.batch.message_count')).toBeGreaterThanOrEqual(1);
    expect(batch!.kind).toBe(5); // CONSUMER
  });
});
