import type { Client } from '@elastic/elasticsearch';
import { connect, type Database } from '@/db/client';
import { catchUp, type ConsumerSource } from '@/db/consumers';
import { createEventStore, ensureCheckpoint, eventCodec, rewindCheckpoint } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { projections, searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { maxSearchBatchSize, searchConsumer } from '@/projections/runtime/elasticsearch/indexing';
import type { SearchProjection } from '@/projections/runtime/elasticsearch/projection';
import { dropIndex } from '@/projections/runtime/elasticsearch/search-index';
import type { Projection } from '@/projections/runtime/projection';
import { requestRebuild, runRebuild } from '@/projections/runtime/rebuild/rebuild';
import { resetProjection } from '@/projections/runtime/reset';
import { textSearchProjection } from '@/projections/text-search/projection';
import { generateShopLog } from './generate';
import { formatCount, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Projection catch-up: every read model rebuilt from checkpoint zero over one generated shop history.
 *
 * Each PostgreSQL read model is rebuilt alone (`rebuild.pg.<name>`), then all of them at once, each in its own
 * loop as the worker runs them (`rebuild.pg.all`: the log's events over the time until the last read model
 * has caught up), then all of them once more beside their live tables as a zero-downtime rebuild does
 * (`rebuild.beside.all`: one read of the log, verified and swapped in). The Elasticsearch read models are rebuilt into freshly dropped indices.
 */

/**
 * Events per batch in a rebuild of a PostgreSQL read model, as an operator rebuilding one would set
 * `CONSUMER_BATCH_SIZE`. Larger batches fold more of an order's events into one load and one write of its
 * rows: order_detail and text_search rebuilt about a sixth faster at 10,000 than at 5,000, and about a
 * quarter faster again at 30,000; beyond that the gain flattens while each batch's transaction grows
 * (docs/projections.md).
 */
const batchSize = 30_000;
/** Events per batch into Elasticsearch: one bulk request each, as large as the engine allows. */
const searchBatchSize = maxSearchBatchSize;

const postgresReadModels: readonly Projection[] = [...projections, textSearchProjection];

export const rebuildSuite: BenchSuite = {
  name: 'rebuild',
  async run(context) {
    // About ten events per order: products, customers and 100,000 orders make about a million events.
    const orders = context.size(100_000, 30);
    // Committing read models as the worker process does (`asyncReadModelCommits`).
    const db = connect(context.databaseUrl, {
      max: 10,
      applicationName: 'hindsight-bench-rebuild',
      asyncReadModelCommits: true,
    });
    try {
      await db.migrate();
      const generating = performance.now();
      const { events } = await generateShopLog(context.databaseUrl, {
        products: context.size(200, 8),
        customers: context.size(1_000, 5),
        orders,
        log: context.log,
      });
      context.log(`generated ${formatCount(events)} events in ${seconds(generating).toFixed(1)} s`);
      // Freshly bulk-loaded rows: set hint bits and statistics once, so the first rebuild does not pay for it.
      await db.sql.query('vacuum (analyze) events');

      const source = { orm: db.orm, store: createEventStore(db.sql, { schemas: shopEventSchemas }) };
      const scale = `${formatCount(events)} events`;
      const measurements: Measurement[] = [await measureDecoding(db, context)];
      for (const projection of postgresReadModels) {
        const took = await rebuild(source, [projection], events);
        context.log(`rebuild.pg.${projection.name}: ${took.toFixed(2)} s`);
        measurements.push({
          id: `rebuild.pg.${projection.name}`,
          group: 'rebuild',
          label: `rebuild ${projection.name} from zero (PostgreSQL)`,
          scale,
          concurrency: `1 projection, batches of ${formatCount(batchSize)}`,
          metrics: { eventsPerSecond: events / took, seconds: took },
        });
      }
      const took = await rebuild(source, postgresReadModels, events);
      context.log(`rebuild.pg.all: ${took.toFixed(2)} s`);
      measurements.push({
        id: 'rebuild.pg.all',
        group: 'rebuild',
        label: 'rebuild every PostgreSQL read model at once, as the worker runs them',
        scale,
        concurrency: `${postgresReadModels.length} projections concurrently, batches of ${formatCount(batchSize)}`,
        metrics: { eventsPerSecond: events / took, seconds: took },
      });

      // The same read models rebuilt beside their live tables (what `npm run rebuild -- --all` does): one read
      // of the log for all of them, then verified against the live ones and swapped in.
      const beside = await rebuildBeside(source, postgresReadModels, events);
      context.log(`rebuild.beside.all: ${beside.toFixed(2)} s`);
      measurements.push({
        id: 'rebuild.beside.all',
        group: 'rebuild',
        label: 'rebuild every PostgreSQL read model beside the live ones: one read of the log, verified and swapped in',
        scale,
        concurrency: `${postgresReadModels.length} projections in one loop, batches of ${formatCount(batchSize)}`,
        metrics: { eventsPerSecond: events / beside, seconds: beside },
      });

      if (context.elasticsearchUrl) {
        const client = createSearchClient(context.elasticsearchUrl);
        try {
          const search = searchProjections(context.indexPrefix);
          for (const [key, projection] of [
            ['product_search', search.products],
            ['order_search', search.orders],
          ] as const) {
            const took = await rebuildSearch(source, client, projection);
            context.log(`rebuild.es.${key}: ${took.toFixed(2)} s`);
            measurements.push({
              id: `rebuild.es.${key}`,
              group: 'rebuild',
              label: `rebuild ${key} from zero (Elasticsearch)`,
              scale,
              concurrency: `1 projection, batches of ${formatCount(searchBatchSize)}`,
              metrics: { eventsPerSecond: events / took, seconds: took },
            });
            await dropIndex(client, projection.index);
          }
        } finally {
          await client.close();
        }
      }
      return measurements;
    } finally {
      await db.close();
    }
  },
};

/** Empties the read models and catches them up concurrently; returns the seconds until the last is done. */
async function rebuild(source: ConsumerSource, readModels: readonly Projection[], events: number): Promise<number> {
  for (const projection of readModels) await resetProjection(source.orm, projection);
  const started = performance.now();
  const read = await Promise.all(readModels.map((projection) => catchUp(source, projection, { batchSize })));
  const took = seconds(started);
  for (const [index, count] of read.entries()) {
    if (count !== events) throw new Error(`${readModels[index]?.name} read ${count} of ${events} events`);
  }
  return took;
}

/** A zero-downtime rebuild of the read models, from request to swap; returns its seconds. */
async function rebuildBeside(source: ConsumerSource, readModels: readonly Projection[], events: number): Promise<number> {
  const started = performance.now();
  const row = await requestRebuild(source.orm, readModels, 'benchmark', { holder: 'bench' });
  const result = await runRebuild(source, row, readModels, { batchSize, instanceId: 'bench' });
  const took = seconds(started);
  if (result.status !== 'swapped') throw new Error(`the rebuild beside the live read models ended ${result.status}: ${result.error}`);
  if (result.eventsDone !== events) throw new Error(`the rebuild beside the live read models read ${result.eventsDone} of ${events} events`);
  return took;
}

async function rebuildSearch(source: ConsumerSource, client: Client, projection: SearchProjection): Promise<number> {
  await dropIndex(client, projection.index);
  await ensureCheckpoint(source.orm, projection.name);
  await source.orm.transaction((tx) => rewindCheckpoint(tx, projection.name));
  const started = performance.now();
  await catchUp(source, searchConsumer(client, projection), { batchSize: searchBatchSize, timeoutMs: 600_000 });
  return seconds(started);
}

/**
 * What reading an event through its schema costs: every read of the log parses each event with the schema of
 * the version it was stored in and upcasts it (db/event-store/schemas.ts). Measured on the generated log's
 * rows, already fetched and parsed from JSON, so only the schema's work is timed; a rebuild's events/s is
 * compared with it in the targets.
 */
async function measureDecoding(db: Database, context: BenchContext): Promise<Measurement> {
  const rows = await db.sql.query<{ type: string; version: number; data: object; streamId: string; streamVersion: number }>(
    `select event_type as type, schema_version as version, data, stream_id as "streamId", stream_version as "streamVersion"
     from events order by transaction_id, global_position limit ${context.size(200_000, 500)}`,
  );
  const codec = eventCodec(shopEventSchemas);
  const decodeAll = () => {
    for (const row of rows) codec.decode(row.type, row.version, row.data, row);
  };
  decodeAll();
  const started = performance.now();
  const rounds = 3;
  for (let round = 0; round < rounds; round++) decodeAll();
  const took = seconds(started);
  const eventsPerSecond = (rows.length * rounds) / took;
  context.log(`decode: ${formatCount(Math.round(eventsPerSecond))} events/s`);
  return {
    id: 'decode.log',
    group: 'rebuild',
    label: 'read a stored event through its schema (parse, upcast), in memory',
    scale: `the generated log's first ${formatCount(rows.length)} events, ${rounds} times`,
    concurrency: '1 core',
    metrics: { eventsPerSecond, microsecondsPerEvent: 1_000_000 / eventsPerSecond },
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

