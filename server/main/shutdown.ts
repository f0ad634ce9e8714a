import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import { logger } from '../logger';
import { stopTracing } from '../telemetry/tracing';
import { stopEmbeddedShop } from './web';

/**
 * The web server's own SIGTERM and SIGINT handling, in place of Next.js's (instrumentation.ts installs it when
 * NEXT_MANUAL_SIG_HANDLE is set, as scripts/start.sh and scripts/shop.sh set it).
 *
 * Why not Next.js's: its handler (next/dist/server/lib/start-server.js, `cleanup`) closes the HTTP server and
 * then calls process.exit, leaving no moment to send the spans still queued in the BatchSpanProcessor (up to
 * five seconds' worth, the last requests' among them), nor to stop the embedded database's consumers. A
 * listener of our own beside it would race that exit; patching process.exit would be fragile. Next.js's
 * documented switch, NEXT_MANUAL_SIG_HANDLE, leaves the signals to us, so this does what its handler did
 * (stop accepting, let the requests under way finish) and then the rest, in order:
 *
 * 1. close the HTTP server: no new connections, idle keep-alive ones closed, the requests under way answered
 *    (their connections cut after `closeTimeoutMs`, so one hung request cannot hold the exit for ever);
 * 2. in zero-setup mode, stop the embedded back end (consumers, timers, broker, gateway, database);
 * 3. send the queued spans, for at most a few seconds (stopTracing), so a collector that is down costs
 *    little;
 * 4. exit as Next.js would, 128 plus the signal's number; after `stopTimeoutMs` in any case.
 *
 * Next.js hands us no reference to its HTTP server: its first request does, through Node's
 * `http.server.request.start` diagnostics channel (the server whose port is the one Next.js listens on, which
 * it puts in PORT, not the payment gateway simulator zero setup runs beside it). Stopped before any request
 * came, there is nothing under way to wait for.
 */
const closeTimeoutMs = 10_000;
/** The whole stop at most, whatever hangs (a consumer's batch, the embedded thread): then the exit anyway. */
const stopTimeoutMs = 30_000;
const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
const requestChannel = 'http.server.request.start';

export function stopOnSignals(): void {
  const log = logger.child({ process: 'web' });
  let server: Server | undefined;
  const port = Number(process.env.PORT);
  const onRequest = (message: unknown) => {
    const candidate = (message as { server?: Server }).server;
    const address = candidate?.address();
    if (!candidate || (Number.isInteger(port) && (typeof address !== 'object' || address?.port !== port))) return;
    server = candidate;
    unsubscribe(requestChannel, onRequest);
  };
  subscribe(requestChannel, onRequest);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A shell's Ctrl-C may send SIGINT twice (to the group and from npm): the stop under way goes on.
      if (stopping) return;
      stopping = true;
      void stop(signal);
    });
  }

  async function stop(signal: keyof typeof exitCodes): Promise<void> {
    log.info({ signal }, 'web server stopping');
    setTimeout(() => {
      log.error({ seconds: stopTimeoutMs / 1000 }, 'the web server did not stop in time; exiting');
      process.exit(exitCodes[signal]);
    }, stopTimeoutMs).unref();
    try {
      if (server) await close(server);
      await stopEmbeddedShop();
    } catch (error) {
      log.error({ err: error }, 'the web server did not stop cleanly');
    }
    await stopTracing();
    process.exit(exitCodes[signal]);
  }
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), closeTimeoutMs);
    // Since Node 19 close() also closes the idle keep-alive connections; busy ones close after their answer.
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
