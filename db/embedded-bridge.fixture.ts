import { workerData, type MessagePort } from 'node:worker_threads';
import { openEmbedded } from './embedded';
import { serveEmbedded } from './embedded-bridge';

/**
 * A thread that opens an in-memory embedded database and serves it on the port it is given, as the web
 * server's database thread does (server/main/embedded-thread.ts). Started by embedded-bridge.int.spec.ts
 * through server/main/embedded-thread-boot.mjs.
 */
const { database } = workerData as { database: MessagePort };
const db = await openEmbedded(null);
serveEmbedded(db.pglite, database);
