import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A stand-in for an OpenTelemetry collector: a loopback HTTP listener taking OTLP/HTTP JSON exports, for the
 * specs that check what reaches OTEL_EXPORTER_OTLP_ENDPOINT (in this process, or from one a spec spawns).
 */
export type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; arrayValue?: { values: OtlpValue[] } };
export type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
  links?: { traceId: string; spanId: string }[];
};
type OtlpExport = {
  resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
};

/** OTLP's span kinds. */
export const spanKind = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export type Collector = {
  /** Its base address, as OTEL_EXPORTER_OTLP_ENDPOINT would name it. */
  readonly endpoint: string;
  /** Every span received so far, with the `service.name` of the process that sent it. */
  spans(): (OtlpSpan & { service: string })[];
  close(): Promise<void>;
};

export async function startCollector(): Promise<Collector> {
  const received: OtlpExport[] = [];
  const server: Server = createServer((request, response) => {
    readBody(request).then(
      (raw) => {
        received.push(JSON.parse(raw.toString('utf8')) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      },
      (error: unknown) => response.writeHead(400).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () =>
      received.flatMap((body) =>
        body.resourceSpans.flatMap((resource) => {
          const service = resource.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
          return resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ ...span, service })));
        }),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/** A span's attribute as a plain value. */
export function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes.find((candidate) => candidate.key === key)?.value;
  if (!value) return undefined;
  if (value.arrayValue) return value.arrayValue.values.map((item) => item.stringValue);
  return value.stringValue ?? (value.intValue === undefined ? value.boolValue : Number(value.intValue));
}
