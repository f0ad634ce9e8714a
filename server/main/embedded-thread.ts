import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveEmbedded } from '@/db/embedded-bridge';
import { env } from '../env';
import { startTracing, stopTracing } from '../telemetry/tracing';
import { startEmbeddedBackend } from './embedded-backend';
import type { FromEmbeddedThread, ToEmbeddedThread } from './embedded-thread-messages';

/**
 * The zero-setup back end on a thread of its own (EMBEDDED_THREAD, started by server/main/web.ts): it starts
 * the embedded database and its consumers here and serves the database to the web thread over the port it was
 * given (db/embedded-bridge.ts). A failure ends the thread, and the web thread then ends the process.
 */
const control = parentPort!;
const { database } = workerData as { database: MessagePort };
const send = (message: FromEmbeddedThread) => control.postMessage(message);
const started = Date.now();
// A thread has its own globals, so its own tracer: the consumers' spans are the web server's service.
startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'hindsight-web' });

try {
  const backend = await startEmbeddedBackend((error) => {
    // Told to the web thread, which logs it: this thread's asynchronous log lines would not outlive the exit.
    send(failure(error));
    process.exit(1);
  });
  control.on('message', (message: ToEmbeddedThread) => {
    if (message.type === 'stop') {
      // The web server is stopping (server/main/shutdown.ts): the back end stops, then the thread ends.
      void backend.stop().then(
        () => stopTracing().then(() => process.exit(0)),
        (error: unknown) => {
          send(failure(error));
          process.exit(1);
        },
      );
      return;
    }
    backend.brokerStats().then(
      (stats) => send({ type: 'broker-stats', id: message.id, stats }),
      () => send({ type: 'broker-stats', id: message.id, stats: null }),
    );
  });
  serveEmbedded(backend.db.pglite, database);
  send({ type: 'ready', paymentsUrl: backend.paymentsUrl, seconds: (Date.now() - started) / 1000 });
} catch (error) {
  // The web thread reports it (server/main/web.ts `exitAfterFailedStart`).
  send(failure(error));
}

function failure(error: unknown): FromEmbeddedThread {
  const cause = error instanceof Error ? error : new Error(String(error));
  return { type: 'failed', name: cause.name, message: cause.message, stack: cause.stack };
}
