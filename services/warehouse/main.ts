import pino from 'pino';
import { natsTransport } from '@/contracts';
import { openWarehouseDatabase } from './database';
import { warehouseSettings, type WarehouseSettings } from './settings';
import { startWarehouseTracing } from './tracing';
import { startWarehouse } from './warehouse';

/**
 * `npm run warehouse`: the warehouse as a process of its own, with its own database (WAREHOUSE_DATABASE_URL,
 * created if missing) and only the broker between it and the shop. Started before its database or the broker,
 * it waits for them. Ctrl-C or SIGTERM stops it: it stops taking messages, finishes the ones in hand, and
 * closes its connections. docs/warehouse.md says more.
 */
const settings = readSettings();
const logger = pino({ level: settings.logLevel, base: undefined });
const tracing = startWarehouseTracing(settings.otlpEndpoint);
const stopping = new AbortController();
const stopRequested = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'warehouse stopping');
    stopping.abort();
  });
}

try {
  await run();
  logger.info('warehouse stopped');
} catch (error) {
  logger.fatal({ err: error }, 'warehouse failed');
  process.exitCode = 1;
}
// The last spans (the answers just published) go to the collector before the process ends.
await tracing?.stop();
// Everything of ours is closed by now. Stopped before a broker ever answered, the transport's last connection
// attempt may still be in flight (it gives up within two seconds): no reason to wait for it.
process.exit();

async function run(): Promise<void> {
  const database = await whenReachable('its database', () => openWarehouseDatabase(settings.databaseUrl));
  if (!database) return;
  const transport = natsTransport({ servers: settings.natsUrl, stream: settings.stream, prefix: settings.prefix, name: 'hindsight-warehouse' });
  try {
    // The warehouse creates the stream too: whichever of it and the shop starts first, the requests are kept.
    if (!(await whenReachable('NATS', () => transport.ensureStream().then(() => true)))) return;
    const warehouse = await startWarehouse({ ...settings, sql: database.sql, transport, logger });
    logger.info(
      {
        database: withoutPassword(settings.databaseUrl),
        nats: settings.natsUrl,
        stream: settings.stream,
        prefix: settings.prefix,
        pickMs: settings.pickMs,
        packMs: settings.packMs,
        dispatchMs: settings.dispatchMs,
        missingRate: settings.missingRate,
        carrier: settings.carrier,
      },
      'warehouse running',
    );
    await stopRequested;
    await warehouse.stop();
  } finally {
    await transport.close();
    await database.close();
  }
}

/**
 * Tries `attempt` once a second until it succeeds, logging the first failure only. Undefined when the process is
 * asked to stop meanwhile.
 */
async function whenReachable<T>(what: string, attempt: () => Promise<T>): Promise<T | undefined> {
  for (let tries = 0; !stopping.signal.aborted; tries++) {
    try {
      const result = await Promise.race([attempt(), stopRequested.then(() => undefined)]);
      if (tries > 0 && result !== undefined) logger.info(`warehouse reached ${what}`);
      return result;
    } catch (error) {
      if (tries === 0) logger.warn({ err: error }, `warehouse cannot reach ${what} yet; trying again every second`);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, 1_000)), stopRequested]);
    }
  }
  return undefined;
}

function readSettings(): WarehouseSettings {
  try {
    return warehouseSettings(process.env);
  } catch (error) {
    // Before the logger exists, whose level is one of the settings: plain text, which names every bad variable.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

function withoutPassword(url: string): string {
  const shown = new URL(url);
  if (shown.password) shown.password = '***';
  return shown.toString();
}
