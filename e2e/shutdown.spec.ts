import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { startZeroSetupShop, type ZeroSetupShop } from '../scripts/zero-setup-shop';
import { expect, test } from './fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));

type OtlpSpan = { name: string; attributes: { key: string; value: { stringValue?: string } }[] };
type OtlpExport = { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };

/**
 * The web server's last spans reach the collector when it stops. A tRPC call's span waits in the SDK's batch
 * (sent every 5 s); SIGTERM right after the answer must not lose it: the shop's own signal handling
 * (server/main/shutdown.ts, NEXT_MANUAL_SIG_HANDLE as npm start sets it) closes the HTTP server, stops the
 * embedded database (its lock's socket is gone afterwards: released, not left by a dying process) and sends
 * the spans, then exits as Next.js would, 143. A second shop of its own, on a fresh embedded folder, with a
 * loopback listener standing for the collector; with the embedded database on this thread, and on its own.
 */
for (const thread of [false, true]) {
  test(`the web server sends its last spans to the collector on SIGTERM, stops its embedded database${thread ? ' on its own thread' : ''} and exits @zero-setup`, async () => {
    test.setTimeout(180_000);
    const received: { service: string; span: OtlpSpan }[] = [];
    const collector = createServer((request, response) => {
      readBody(request).then((raw) => {
        const body = JSON.parse(raw.toString('utf8')) as OtlpExport;
        for (const resource of body.resourceSpans) {
          const service = resource.resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resource.scopeSpans) for (const span of scope.spans) received.push({ service, span });
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, () => response.writeHead(400).end());
  });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const folder = await mkdtemp(join(tmpdir(), 'hindsight-shutdown-'));
    const dataDir = join(folder, 'pglite');
    let shop: ZeroSetupShop | undefined;
    try {
      shop = await startZeroSetupShop({
        root,
        dataDir,
        env: {
          EMBEDDED_THREAD: String(thread),
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
          // The SDK's batch goes out every minute here, not every 5 s: nothing but the stop can send the call's span.
          OTEL_BSP_SCHEDULE_DELAY: '60000',
          NEXT_MANUAL_SIG_HANDLE: 'true',
          LOG_LEVEL: 'info',
        },
      });
      await shop.serving(150_000);

      const url = `${shop.baseUrl}/api/trpc/session.current`;
      const correlationId = `shutdown-${randomUUID()}`;
      const answer = await fetch(url, { headers: { 'x-correlation-id': correlationId } });
      expect(answer.status).toBe(200);
      const ours = () =>
        received.filter(({ span }) => span.name === 'session.current' && span.attributes.some((a) => a.key === 'hindsight.correlation_id' && a.value.stringValue === correlationId));
      // Still in the batch.
      expect(ours()).toHaveLength(0);
      const [code, signal] = await shop.stop();
      const output = shop.output();

      expect({ code, signal }, output).toEqual({ code: 143, signal: null });
      expect(ours().map(({ service }) => service), output).toEqual(['hindsight-web']);
      expect(output).toContain('web server stopping');
      expect(existsSync(`${dataDir}.lock.sock`), output).toBe(false);
    } finally {
      // Stopped already when the test got that far; a failure before must not leave it running.
      await shop?.stop();
      await new Promise<void>((resolve) => {
        collector.closeAllConnections();
        collector.close(() => resolve());
      });
      await rm(folder, { recursive: true, force: true });
    }
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}
