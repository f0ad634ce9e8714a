import { projections } from '@/projections';
import { runProjector } from '@/projections/runtime/projector';
import { catchUp } from '@/projections/runtime/runner';
import { serverDatabase } from './db';
import { env } from './env';
import { logger } from './logger';
import { serverSearch } from './search';
import { seedShop } from './seed';

/**
 * Zero-setup mode, run once when the web server starts without DATABASE_URL: open (or create) the embedded
 * database, migrate it, seed it on first start, and run the projectors inside this process, since no other
 * process may open the embedded database.
 */
export async function startEmbeddedShop(): Promise<void> {
  const started = Date.now();
  console.log(`Hindsight: opening the embedded database in ${env.EMBEDDED_DATA_DIR} …`);
  const { db, store } = await serverDatabase();
  console.log('Hindsight: applying migrations …');
  await db.migrate();
  if (!(await store.readHead())) {
    console.log('Hindsight: first start, seeding the demo shop …');
    const seeded = await seedShop(store, (done, total) => console.log(`Hindsight: seeding ${done}/${total} commands`));
    console.log(`Hindsight: seeded ${seeded.products} products in ${seeded.categories} categories.`);
  }
  const search = serverSearch();
  const all = [...projections, ...search.projections];
  // Bring the read models up to the log before serving, so the first page shows the shop rather than an
  // empty catalog (after the first start this is whatever was appended while the server was down).
  console.log('Hindsight: bringing the read models up to date …');
  for (const projection of all) {
    if (projection.kind !== 'postgres') continue;
    try {
      await catchUp(db.orm, store, projection, { batchSize: 5_000, timeoutMs: 120_000 });
    } catch (error) {
      // Serve anyway: the projector below retries this read model with a growing pause, and the status
      // page shows it behind, rather than one bad batch keeping the whole shop down.
      logger.error({ err: error, projection: projection.name }, 'could not bring the read model up to date; the projector will retry');
    }
  }
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  runProjector(db, all, {
    search: search.client ?? undefined,
    batchSize: env.PROJECTOR_BATCH_SIZE,
    pollMs: env.PROJECTOR_POLL_MS,
    delayMs: env.PROJECTOR_DELAY_MS,
    logger,
    signal: controller.signal,
  }).catch((error: unknown) => logger.fatal({ err: error }, 'in-process projectors stopped'));
  console.log(`Hindsight: ready after ${((Date.now() - started) / 1000).toFixed(1)} s; projectors run in this process.`);
}
