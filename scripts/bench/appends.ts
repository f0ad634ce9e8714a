import { randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import postgres from 'postgres';
import { z } from 'zod';
import { dropDatabase, maintenanceTarget, recreateDatabase } from '../../db/admin';
import { connect } from '../../db/client';
import { createEventStore, type EventMetadata, type NewEvent } from '../../db/event-store';
import { postgresJsClient } from '../../db/sql';
import { formatCount, percentiles, runConcurrently, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Appends: Hindsight's event store beside the floor it stands on (a plain INSERT of an equivalent row) and its
 * closest TypeScript peer (Emmett's PostgreSQL event store), with the same workload, in the same run.
 *
 * Workload: every append creates a new stream (expected version "no stream" for Hindsight and Emmett), so
 * writers never contend for a stream and each writer's streams are its own; what is measured is the cost of
 * the append path itself, not of conflicts. Every variant gets a connection pool of exactly `concurrency`
 * connections, so no one queues for a connection another variant would have had.
 */
type Variant = 'hindsight' | 'floor' | 'emmett';
type Append = (streamId: string, events: readonly NewEvent[]) => Promise<unknown>;
type Target = { readonly append: Append; readonly close: () => Promise<void> };

const variants: readonly Variant[] = ['hindsight', 'floor', 'emmett'];
const variantLabel: Record<Variant, string> = {
  hindsight: 'Hindsight',
  floor: 'plain INSERT (floor)',
  emmett: 'Emmett',
};

const metadata: EventMetadata = { correlationId: 'bench', causationId: 'bench', actor: 'bench', source: 'bench' };

/** A small event, typical of the shop's (an id, a quantity, a price). */
const benchEvent = (n: number): NewEvent => ({
  type: 'BenchItemAdded',
  data: { itemId: randomUUID(), quantity: 1 + (n % 5), unitPriceCents: 1250 },
});

/** The bench event's one version: the store checks every append against it, as it checks the shop's. */
const benchSchemas = {
  BenchItemAdded: [{ schema: z.strictObject({ itemId: z.uuid(), quantity: z.number().int(), unitPriceCents: z.number().int() }) }],
};

/** The floor: the events table's columns and types, a bigint identity key, and nothing else. */
const floorTableSql = `
  create table if not exists append_floor (
    global_position bigint primary key generated always as identity,
    transaction_id xid8 not null default pg_current_xact_id(),
    stream_id text not null,
    stream_version integer not null,
    event_id uuid not null,
    event_type text not null,
    schema_version integer not null default 1,
    data jsonb not null,
    metadata jsonb not null,
    recorded_at timestamptz not null default now()
  )`;

function hindsightTarget(databaseUrl: string, concurrency: number): Target {
  const db = connect(databaseUrl, { max: concurrency, applicationName: 'hindsight-bench' });
  const store = createEventStore(db.sql, { schemas: benchSchemas });
  return {
    append: (streamId, events) => store.append(streamId, events, { expectedVersion: 'no_stream', metadata }),
    async close() {
      await store.settled();
      await db.close();
    },
  };
}

/**
 * One INSERT per append, in autocommit, through the very driver call the event store uses (postgres.js
 * `unsafe` with positional parameters, JSON sent as text), so the difference is the store's own work.
 */
function floorTarget(databaseUrl: string, concurrency: number): Target {
  const client = postgres(databaseUrl, { max: concurrency, onnotice: () => {} });
  const sql = postgresJsClient(client);
  return {
    async append(streamId, events) {
      const params: unknown[] = [];
      const rows = events.map((event, index) => {
        const n = params.length;
        params.push(randomUUID(), streamId, index + 1, event.type, 1, JSON.stringify(event.data), JSON.stringify(metadata));
        return `($${n + 1}::uuid, $${n + 2}, $${n + 3}::int, $${n + 4}, $${n + 5}::int, $${n + 6}::text::jsonb, $${n + 7}::text::jsonb)`;
      });
      await sql.query(
        `insert into append_floor (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
         values ${rows.join(', ')}`,
        params,
      );
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Emmett with a pg pool of our own, so its size matches the others (its default is 10). */
function emmettTarget(databaseUrl: string, concurrency: number): Target {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
  return {
    append: (streamId, events) =>
      store.appendToStream(
        streamId,
        events.map((event) => ({ type: event.type, data: event.data as Record<string, unknown> })),
        { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
      ),
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

type Workload = {
  readonly key: string;
  readonly label: string;
  readonly eventsPerAppend: number;
  readonly concurrency: number;
  readonly appends: number;
};

export const appendsSuite: BenchSuite = {
  name: 'appends',
  async run(context) {
    const workloads: Workload[] = [
      ...[1, 8, 32].map((concurrency) => ({
        key: `single.c${concurrency}`,
        label: 'single-event append',
        eventsPerAppend: 1,
        concurrency,
        // ~3,000 appends keep each row within a few seconds on a 2-core machine and give a stable p99.
        appends: context.size(3_000, 20),
      })),
      ...[1, 8].map((concurrency) => ({
        key: `batch100.c${concurrency}`,
        label: '100-event batch append',
        eventsPerAppend: 100,
        concurrency,
        appends: context.size(200, 4),
      })),
    ];

    const emmettUrl = `${context.serverUrl}/${maintenanceTarget(context.databaseUrl).name}_emmett`;
    await recreateDatabase(emmettUrl);
    try {
      await prepareSchemas(context.databaseUrl, emmettUrl);
      const open: Record<Variant, (concurrency: number) => Target> = {
        hindsight: (concurrency) => hindsightTarget(context.databaseUrl, concurrency),
        floor: (concurrency) => floorTarget(context.databaseUrl, concurrency),
        emmett: (concurrency) => emmettTarget(emmettUrl, concurrency),
      };
      const measurements: Measurement[] = [];
      for (const workload of workloads) measurements.push(...(await measureRow(context, workload, open)));
      return measurements;
    } finally {
      await untilDisconnected(emmettUrl);
      await dropDatabase(emmettUrl);
    }
  },
};

/**
 * pg's `Pool.end()` resolves once it has asked its connections to close, not once they have: dropping the
 * database at that moment would kill them mid-goodbye and surface as an unhandled pool error.
 */
async function untilDisconnected(url: string): Promise<void> {
  const { maintenanceUrl, name } = maintenanceTarget(url);
  const admin = postgres(maintenanceUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const [row] = await admin<{ count: number }[]>`
        select count(*)::int as count from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
      if (!row?.count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}

async function prepareSchemas(databaseUrl: string, emmettUrl: string): Promise<void> {
  const db = connect(databaseUrl, { max: 1 });
  try {
    await db.migrate();
    await db.sql.query(floorTableSql);
  } finally {
    await db.close();
  }
  // Emmett creates its schema lazily on first use; migrating up front keeps that out of the timings.
  const pool = new pg.Pool({ connectionString: emmettUrl, max: 1 });
  const emmett = getPostgreSQLEventStore(emmettUrl, { connectionOptions: { pool } });
  try {
    await emmett.schema.migrate();
  } finally {
    await emmett.close();
    await pool.end();
  }
}

/**
 * The three variants of one row, interleaved: the appends are split into rounds, and each round runs every
 * variant in turn, starting with a different one each time. A machine whose speed drifts over seconds (a
 * shared host, a checkpoint) then slows every variant alike; run one after the other, whichever ran during
 * a slow spell looked worse, and the ratios moved by several points between runs.
 */
async function measureRow(
  context: BenchContext,
  workload: Workload,
  open: Record<Variant, (concurrency: number) => Target>,
): Promise<Measurement[]> {
  const rounds = context.size(5, 2);
  const perRound = Math.ceil(workload.appends / rounds);
  const run = randomUUID().slice(0, 8);
  const events = (index: number) => Array.from({ length: workload.eventsPerAppend }, (_, n) => benchEvent(index + n));
  const targets = variants.map((variant) => ({ variant, target: open[variant](workload.concurrency) }));
  try {
    const measured = new Map(variants.map((variant) => [variant, { latenciesMs: [] as number[], elapsedMs: 0 }]));
    // Stream ids look like the shop's (`<type>-<uuid>`), which is also how Emmett derives a stream type.
    const append = (target: Target, variant: Variant, phase: string) => (index: number) =>
      target.append(`bench-${run}${variant}${phase}${index}`, events(index));
    // Warm-up: opens every pooled connection and warms caches and plans before the clock starts.
    const warmUp = context.size(Math.max(workload.concurrency * 4, 200 / workload.eventsPerAppend), workload.concurrency);
    for (const { variant, target } of targets) await runConcurrently(warmUp, workload.concurrency, append(target, variant, 'w'));
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < targets.length; turn++) {
        const { variant, target } = targets[(round + turn) % targets.length]!;
        const { latenciesMs, elapsedMs } = await runConcurrently(perRound, workload.concurrency, append(target, variant, `m${round}-`));
        const sum = measured.get(variant)!;
        sum.latenciesMs.push(...latenciesMs);
        sum.elapsedMs += elapsedMs;
      }
    }
    const appends = perRound * rounds;
    return variants.map((variant) => {
      const { latenciesMs, elapsedMs } = measured.get(variant)!;
      const { p50Ms, p99Ms } = percentiles(latenciesMs);
      const eventsPerSecond = (appends * workload.eventsPerAppend) / (elapsedMs / 1000);
      context.log(
        `append.${workload.key}.${variant}: ${Math.round(eventsPerSecond)} events/s, p50 ${p50Ms.toFixed(2)} ms, p99 ${p99Ms.toFixed(2)} ms`,
      );
      return {
        id: `append.${workload.key}.${variant}`,
        group: 'appends',
        label: `${workload.label}, ${variantLabel[variant]}`,
        scale: `${formatCount(appends)} appends × ${formatCount(workload.eventsPerAppend)} event${workload.eventsPerAppend === 1 ? '' : 's'}, interleaved in ${rounds} rounds`,
        concurrency: `${workload.concurrency} writer${workload.concurrency === 1 ? '' : 's'}`,
        metrics: { eventsPerSecond, p50Ms, p99Ms },
      } satisfies Measurement;
    });
  } finally {
    for (const { target } of targets) await target.close();
  }
}
