import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../logger';
import { scrapeMetrics } from './scrape';

/**
 * A process without a web server of its own (the worker, the payment gateway) serves its metrics here:
 * GET /metrics on `port` (0 takes any free one), everything else 404 JSON.
 */
export async function startMetricsServer(options: { host: string; port: number }): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Metrics are at GET /metrics.' }));
      return;
    }
    scrapeMetrics().then(
      ({ text, contentType }) => response.writeHead(200, { 'content-type': contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics: the scrape failed');
        response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'The metrics could not be collected; see the log.' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
