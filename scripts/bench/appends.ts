import { randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import postgres from 'postgres';
import { dropDatabase, maintenanceTarget, recreateDatabase } from '../../db/admin';
import { connect } from '../../db/client';
import { createEventStore, type NewEvent } from '../../db/event-store';
import { postgresJsClient } from '../../db/sql';
import { measureAppendMemory } from './append-memory';
import { benchEvent, benchMetadata, benchSchemas } from './bench-events';
import { cpuMicroseconds, localBackends } from './proc';
import { formatCount, percentiles, runConcurrently, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Appends: Hindsight's event store beside the floor it stands on (a plain INSERT of an equivalent row) and its
 * closest TypeScript peer (Emmett's PostgreSQL event store), with the same workloads, in the same run.
 *
 * Two workloads, side by side. New streams: every append starts a stream (expected version "no stream"), as a
 * command that creates a cart or an order does. Existing streams: every append goes to a stream that has
 * events, at its known version, as every later command does; each writer has a stream of its own. Either way
 * writers never contend for a stream, so what is measured is the cost of the append path itself, not of
 * conflicts. Every variant gets a connection pool of exactly `concurrency` connections, so no one queues for a
 * connection another variant would have had.
 */
type Variant = 'hindsight' | 'floor' | 'emmett';
/** `expectedVersion` is the stream's version before the append: 0 for a stream that does not exist yet. */
type Append = (streamId: string, events: readonly NewEvent[], expectedVersion: number) => Promise<unknown>;
type Target = { readonly append: Append; readonly close: () => Promise<void> };
type Streams = 'new' | 'existing';
/** Opens a variant's pool of `concurrency` connections, named `applicationName` so its backends can be found. */
type Open = (concurrency: number, streams: Streams, applicationName: string) => Target;

const variants: readonly Variant[] = ['hindsight', 'floor', 'emmett'];
const variantLabel: Record<Variant, string> = {
  hindsight: 'Hindsight',
  floor: 'plain INSERT (floor)',
  emmett: 'Emmett',
};
const existingFloorLabel = 'plain INSERT beside a unique (stream, version) (floor)';

/**
 * The floors: the events table's columns and types and a bigint identity key. Appends to existing streams
 * are held against a table that also has the events table's unique (stream_id, stream_version), since a
 * stream's later events land beside its earlier ones in that index, and that is what refuses a stale version.
 */
const floorTable = { new: 'append_floor', existing: 'append_floor_streams' } as const satisfies Record<Streams, string>;
const floorTableSql = (table: string) => `
  create table if not exists ${table} (
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
const floorStreamsIndexSql = `
  create unique index if not exists append_floor_streams_stream_version on ${floorTable.existing} (stream_id, stream_version)`;

function hindsightTarget(databaseUrl: string, concurrency: number, applicationName: string): Target {
  const db = connect(databaseUrl, { max: concurrency, applicationName });
  const store = createEventStore(db.sql, { schemas: benchSchemas });
  return {
    append: (streamId, events, expectedVersion) =>
      store.append(streamId, events, { expectedVersion: expectedVersion === 0 ? 'no_stream' : expectedVersion, metadata: benchMetadata }),
    async close() {
      await store.settled();
      await db.close();
    },
  };
}

/**
 * One INSERT per append, in autocommit, through the very driver call the event store uses (postgres.js
 * `unsafe` with positional parameters, JSON sent as text), so the difference is the store's own work. Every
 * value is a parameter, the version too, so each shape of append is one prepared statement. It checks no
 * expected version: the unique index, where the table has one, is its only guard.
 */
function floorTarget(databaseUrl: string, concurrency: number, applicationName: string, table: string): Target {
  const client = postgres(databaseUrl, { max: concurrency, onnotice: () => {}, connection: { application_name: applicationName } });
  const sql = postgresJsClient(client);
  return {
    async append(streamId, events, expectedVersion) {
      const params: unknown[] = [];
      const rows = events.map((event, index) => {
        const n = params.length;
        params.push(randomUUID(), streamId, expectedVersion + index + 1, event.type, 1, JSON.stringify(event.data), JSON.stringify(benchMetadata));
        return `($${n + 1}::uuid, $${n + 2}, $${n + 3}::int, $${n + 4}, $${n + 5}::int, $${n + 6}::text::jsonb, $${n + 7}::text::jsonb)`;
      });
      await sql.query(
        `insert into ${table} (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
         values ${rows.join(', ')}`,
        params,
      );
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Emmett with a pg pool of our own, so its size matches the others (its default is 10). */
function emmettTarget(databaseUrl: string, concurrency: number, applicationName: string): Target {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency, application_name: applicationName });
  const store = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
  return {
    append: (streamId, events, expectedVersion) =>
      store.appendToStream(
        streamId,
        events.map((event) => ({ type: event.type, data: event.data as Record<string, unknown> })),
        { expectedStreamVersion: expectedVersion === 0 ? STREAM_DOES_NOT_EXIST : BigInt(expectedVersion) },
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
  readonly streams: Streams;
  readonly eventsPerAppend: number;
  readonly concurrency: number;
  readonly appends: number;
};

export const appendsSuite: BenchSuite = {
  name: 'appends',
  async run(context) {
    // ~3,000 appends keep each row within a few seconds on a 2-core machine and give a stable p99.
    const single = (streams: Streams, key: string, label: string) =>
      [1, 8, 32].map((concurrency) => ({
        key: `${key}.c${concurrency}`,
        label,
        streams,
        eventsPerAppend: 1,
        concurrency,
        appends: context.size(3_000, 20),
      }));
    const workloads: Workload[] = [
      ...single('new', 'single', 'single-event append to a new stream'),
      ...single('existing', 'existing', 'single-event append to an existing stream'),
      ...[1, 8].map((concurrency) => ({
        key: `batch100.c${concurrency}`,
        label: '100-event batch append to a new stream',
        streams: 'new' as const,
        eventsPerAppend: 100,
        concurrency,
        appends: context.size(200, 4),
      })),
    ];

    const emmettUrl = `${context.serverUrl}/${maintenanceTarget(context.databaseUrl).name}_emmett`;
    await recreateDatabase(emmettUrl);
    const measurements: Measurement[] = [];
    try {
      await prepareSchemas(context.databaseUrl, emmettUrl);
      const open: Record<Variant, Open> = {
        hindsight: (concurrency, _streams, name) => hindsightTarget(context.databaseUrl, concurrency, name),
        floor: (concurrency, streams, name) => floorTarget(context.databaseUrl, concurrency, name, floorTable[streams]),
        emmett: (concurrency, _streams, name) => emmettTarget(emmettUrl, concurrency, name),
      };
      const admin = postgres(context.databaseUrl, { max: 1, onnotice: () => {} });
      try {
        for (const workload of workloads) measurements.push(...(await measureRow(context, workload, open, admin)));
      } finally {
        await admin.end();
      }
    } finally {
      await untilDisconnected(emmettUrl);
      await dropDatabase(emmettUrl);
    }
    measurements.push(...(await measureAppendMemory(context)));
    return measurements;
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
    for (const table of Object.values(floorTable)) await db.sql.query(floorTableSql(table));
    await db.sql.query(floorStreamsIndexSql);
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
 * Where a row's appends go. New streams: a stream of its own for every append. Existing streams: each writer
 * has one stream, created before the clock starts, and appends to it at its current version; since at most
 * `concurrency` appends run at once, a free stream is always there to take, and no two appends share one.
 */
type Stream = { readonly id: string; version: number };
type RowStreams = {
  /** The streams that must exist before the clock starts. */
  readonly own: readonly Stream[];
  readonly take: (phase: string, index: number) => Stream;
  readonly give: (stream: Stream) => void;
};

function streamsFor(workload: Workload, name: (suffix: string) => string): RowStreams {
  if (workload.streams === 'new') return { own: [], take: (phase, index) => ({ id: name(`${phase}${index}`), version: 0 }), give: () => {} };
  const own = Array.from({ length: workload.concurrency }, (_, writer): Stream => ({ id: name(`writer${writer}`), version: 0 }));
  const free = [...own];
  return { own, take: () => free.pop()!, give: (stream) => void free.push(stream) };
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
  open: Record<Variant, Open>,
  admin: postgres.Sql,
): Promise<Measurement[]> {
  const rounds = context.size(5, 2);
  const perRound = Math.ceil(workload.appends / rounds);
  const run = randomUUID().slice(0, 8);
  const events = (index: number) => Array.from({ length: workload.eventsPerAppend }, (_, n) => benchEvent(index + n));
  // Stream ids look like the shop's (`<type>-<uuid>`), which is also how Emmett derives a stream type.
  const targets = variants.map((variant) => ({
    variant,
    applicationName: `hindsight-bench-${run}-${variant}`,
    streams: streamsFor(workload, (suffix) => `bench-${run}${variant}${suffix}`),
  })).map((variant) => ({ ...variant, target: open[variant.variant](workload.concurrency, workload.streams, variant.applicationName) }));
  try {
    const measured = new Map(variants.map((variant) => [variant, { latenciesMs: [] as number[], elapsedMs: 0, nodeMicroseconds: 0, postgresMicroseconds: 0 }]));
    const append = ({ target, streams }: (typeof targets)[number], phase: string) => async (index: number) => {
      const stream = streams.take(phase, index);
      const batch = events(index);
      await target.append(stream.id, batch, stream.version);
      stream.version += batch.length;
      streams.give(stream);
    };
    // Each writer's existing stream gets its first event before anything is timed.
    for (const { target, streams } of targets) {
      await Promise.all(streams.own.map(async (stream) => {
        await target.append(stream.id, events(0), 0);
        stream.version = workload.eventsPerAppend;
      }));
    }
    // Warm-up: opens every pooled connection and warms caches and plans before the clock starts.
    const warmUp = context.size(Math.max(workload.concurrency * 4, 200 / workload.eventsPerAppend), workload.concurrency);
    for (const variant of targets) await runConcurrently(warmUp, workload.concurrency, append(variant, 'w'));
    // Where each variant's time goes: this process's CPU during its turns, and its own backends' CPU (they
    // work only in its turns, so their totals over the row are its share).
    const backends = new Map<Variant, number[]>();
    for (const { variant, applicationName } of targets) backends.set(variant, await localBackends(admin, applicationName));
    const backendsCpu = (variant: Variant) => backends.get(variant)!.reduce((sum, pid) => sum + cpuMicroseconds(pid), 0);
    for (const { variant } of targets) measured.get(variant)!.postgresMicroseconds -= backendsCpu(variant);
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < targets.length; turn++) {
        const variant = targets[(round + turn) % targets.length]!;
        const cpuBefore = process.cpuUsage();
        const { latenciesMs, elapsedMs } = await runConcurrently(perRound, workload.concurrency, append(variant, `m${round}-`));
        const cpu = process.cpuUsage(cpuBefore);
        const sum = measured.get(variant.variant)!;
        sum.latenciesMs.push(...latenciesMs);
        sum.elapsedMs += elapsedMs;
        sum.nodeMicroseconds += cpu.user + cpu.system;
      }
    }
    for (const { variant } of targets) measured.get(variant)!.postgresMicroseconds += backendsCpu(variant);
    const appends = perRound * rounds;
    return variants.map((variant) => {
      const { latenciesMs, elapsedMs, nodeMicroseconds, postgresMicroseconds } = measured.get(variant)!;
      const { p50Ms, p99Ms } = percentiles(latenciesMs);
      const eventsPerSecond = (appends * workload.eventsPerAppend) / (elapsedMs / 1000);
      context.log(
        `append.${workload.key}.${variant}: ${Math.round(eventsPerSecond)} events/s, p50 ${p50Ms.toFixed(2)} ms, p99 ${p99Ms.toFixed(2)} ms, ` +
          `CPU per append: Node ${(nodeMicroseconds / appends).toFixed(0)} µs, PostgreSQL ${(postgresMicroseconds / appends).toFixed(0)} µs`,
      );
      return {
        id: `append.${workload.key}.${variant}`,
        group: 'appends',
        label: `${workload.label}, ${variant === 'floor' && workload.streams === 'existing' ? existingFloorLabel : variantLabel[variant]}`,
        scale:
          `${formatCount(appends)} appends × ${formatCount(workload.eventsPerAppend)} event${workload.eventsPerAppend === 1 ? '' : 's'}` +
          `${workload.streams === 'existing' ? ', each writer on its own stream' : ''}, interleaved in ${rounds} rounds`,
        concurrency: `${workload.concurrency} writer${workload.concurrency === 1 ? '' : 's'}`,
        metrics: {
          eventsPerSecond,
          p50Ms,
          p99Ms,
          nodeMicrosecondsPerAppend: nodeMicroseconds / appends,
          ...(backends.get(variant)!.length > 0 ? { postgresMicrosecondsPerAppend: postgresMicroseconds / appends } : {}),
        },
      } satisfies Measurement;
    });
  } finally {
    for (const { target } of targets) await target.close();
  }
}
