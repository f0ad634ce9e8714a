import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { SqlClient } from '@/db/sql';
import type { GatewayContext } from './context';
import { errorBody, HttpError, sendJson } from './http';
import { knobsSchema, type Knobs } from './knobs';
import { migratePaymentGateway } from './migrate';
import { routeNameOf, routeOf } from './routes';
import { tracedRequest } from './tracing';

export type PaymentGatewayOptions = Partial<Knobs> & {
  /** Any database: the gateway keeps its tables in the schema `payment_gateway`, created on start. */
  readonly sql: SqlClient;
  /** 0 (the default) picks a free port; the url says which. */
  readonly port?: number;
  readonly host?: string;
  /** In [0, 1); Math.random unless a test injects a deterministic source. */
  readonly random?: () => number;
  readonly now?: () => Date;
  readonly logger?: Logger;
};

export type PaymentGateway = {
  /** Such as http://127.0.0.1:4100, without a trailing slash. */
  readonly url: string;
  /** Stops accepting, ends held requests and waits for the ones under way. */
  close(): Promise<void>;
};

/** Migrates the gateway's schema, then serves its HTTP API until `close`. */
export async function startPaymentGateway(options: PaymentGatewayOptions): Promise<PaymentGateway> {
  const knobs = knobsSchema.parse({
    latencyMs: options.latencyMs,
    latencyJitterMs: options.latencyJitterMs,
    failureRate: options.failureRate,
    timeoutHoldMs: options.timeoutHoldMs,
  });
  const logger = options.logger ?? pino({ level: 'silent' });
  await migratePaymentGateway(options.sql);
  const gateway: GatewayContext = {
    ...knobs,
    sql: options.sql,
    now: options.now ?? (() => new Date()),
    random: options.random ?? Math.random,
  };
  const closing = new AbortController();
  // One listener per request in flight (see `serve`), each removed as its request ends: as many as there are
  // concurrent requests, which is no leak however many that is.
  setMaxListeners(0, closing.signal);
  const underWay = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const work = tracedRequest(req, res, routeNameOf(req.url), () => serve(gateway, req, res, closing.signal, logger));
    underWay.add(work);
    void work.finally(() => underWay.delete(work));
  });
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= stop(server, closing, underWay);
      return closed;
    },
  };
}

async function stop(server: Server, closing: AbortController, underWay: Set<Promise<void>>): Promise<void> {
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  // Held and delayed requests stop waiting, so closing never takes a timeout card's whole hold.
  closing.abort();
  await Promise.allSettled([...underWay]);
  server.closeAllConnections();
  await stopped;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Runs the request's route and writes what it gives back. It never rejects: every failure becomes an answer. */
async function serve(
  gateway: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
  logger: Logger,
): Promise<void> {
  // Ends waiting when the client hangs up or the gateway closes. Listeners rather than AbortSignal.any, which on
  // Node 20 can keep every request's signal alive for as long as the gateway's own.
  const stop = new AbortController();
  const onClosing = () => stop.abort();
  closing.addEventListener('abort', onClosing, { once: true });
  res.once('close', () => {
    closing.removeEventListener('abort', onClosing);
    stop.abort();
  });
  const signal = stop.signal;
  try {
    const { handler, params } = routeOf(req.method, req.url);
    const result = await handler(gateway, { req, params, signal });
    if ('drop' in result) {
      logger.info({ method: req.method, url: req.url }, 'payment gateway dropped the connection without an answer');
      req.socket.destroy();
      return;
    }
    sendJson(res, result.status, result.body);
  } catch (error) {
    if (error instanceof HttpError) {
      sendJson(res, error.status, errorBody(error.code, error.message), error.headers);
      return;
    }
    // Not the request's fault (the database is down, a bug): the caller may retry with the same key.
    logger.error({ err: error, method: req.method, url: req.url }, 'payment gateway request failed');
    sendJson(res, 500, errorBody('internal_error', 'The gateway failed; retry with the same Idempotency-Key.'));
  }
}
