import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { dropDatabase, recreateDatabase } from '@/db/admin';
import { searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { dropIndex } from '@/projections/runtime/elasticsearch/search-index';
import { env } from '@/server/env';
import { aggregate, evaluateTargets } from './aggregate';
import { appendsSuite } from './appends';
import { fulfillmentSuite } from './fulfillment';
import { httpSuite } from './http';
import { integrationSuite } from './integration';
import { logSizeSuite } from './log-size';
import { progressSuite } from './progress';
import { rebuildSuite } from './rebuild';
import { mergeWithPage } from './merge';
import { referenceWorkKey, renderChart, renderMarkdown, renderTable, type BenchReport } from './report';
import type { BenchContext, BenchSuite, Measurement } from './types';
import { zeroSetupSuite } from './zero-setup';

/**
 * `npm run bench`: measures Hindsight on this machine against the real PostgreSQL server, Elasticsearch
 * node and NATS server, beside its peers in the same run, and as `npm start` runs it with none of them.
 * Prints a table; writes docs/benchmarks.{json,svg,md}.
 * `--smoke` runs tiny sizes once and writes to a temporary folder (the test suite does this).
 * `--only appends,rebuild` runs those suites (`log-size`, ten million events, runs only when named there, and in
 * `--smoke`); `--runs N` runs each N times (3 by default); `--out DIR` writes
 * there instead of docs. `--merge` keeps the groups of the page already in DIR that this run did not
 * measure, and the page says when and how they were measured: a page for one suite's change without
 * running every suite again. `--database NAME` names the run's database (hindsight_bench by default), so two
 * benches on one server do not drop each other's.
 */
const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    merge: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const smoke = args.smoke ?? false;
const runs = Number(args.runs ?? (smoke ? 1 : 3));
const optIn: BenchSuite[] = [logSizeSuite];
const suites: BenchSuite[] = [appendsSuite, rebuildSuite, httpSuite, progressSuite, fulfillmentSuite, integrationSuite, zeroSetupSuite, logSizeSuite].filter(
  (suite) => (args.only ? args.only.split(',').includes(suite.name) : smoke || !optIn.includes(suite)),
);
const serverUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const databaseName = args.database ?? (smoke ? 'hindsight_bench_smoke' : 'hindsight_bench');
if (!/^hindsight_bench\w*$/.test(databaseName)) throw new Error(`--database ${databaseName}: the bench drops and recreates it, so its name must start with hindsight_bench`);
const indexPrefix = databaseName;
const log = (message: string) => console.log(`bench: ${message}`);

let elasticsearchUrl = env.ELASTICSEARCH_URL ?? null;
if (!elasticsearchUrl) {
  execFileSync('bash', ['scripts/elasticsearch.sh', 'start'], { stdio: 'inherit' });
  elasticsearchUrl = 'http://127.0.0.1:9200';
}
// These serve the built app through `next start`.
if (suites.includes(httpSuite) || suites.includes(progressSuite) || suites.includes(zeroSetupSuite) || suites.includes(logSizeSuite)) execFileSync('bash', ['scripts/build-if-needed.sh'], { stdio: 'inherit' });
// NATS_URL, or the local nats-server of scripts/nats.sh, started if nothing answers there.
const natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';
if (suites.includes(integrationSuite)) execFileSync('bash', ['scripts/nats.sh', 'start'], { stdio: 'inherit', env: { ...process.env, NATS_URL: natsUrl } });

const databaseUrl = `${serverUrl}/${databaseName}`;

async function freshDatabase(): Promise<string> {
  await recreateDatabase(databaseUrl);
  const client = createSearchClient(elasticsearchUrl!);
  for (const projection of Object.values(searchProjections(indexPrefix))) await dropIndex(client, projection.index);
  await client.close();
  return databaseUrl;
}

/**
 * The same fixed work every time, in Node and in PostgreSQL: the host is shared, and its speed has varied by
 * half from one day to the next with no change to the code. Targets are absolute, so a page says how fast its
 * machine was, at the start and at the end of the run, for comparing pages from different days.
 */
async function referenceWorkMs(): Promise<number> {
  const started = performance.now();
  let hash = 0;
  for (let i = 0; i < 100_000_000; i++) hash = (hash * 31 + i) | 0;
  const json = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => ({ position: i, type: `Event${hash % 7}` })));
  for (let i = 0; i < 5; i++) JSON.parse(json);
  const sql = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await sql`select count(*) from generate_series(1, 3000000)`;
  } finally {
    await sql.end();
  }
  return performance.now() - started;
}

const measurements: Measurement[][] = [];
const referenceAtStart = await referenceWorkMs();
const started = new Date();
for (let run = 1; run <= runs; run++) {
  const current: Measurement[] = [];
  for (const suite of suites) {
    log(`run ${run}/${runs}: ${suite.name}`);
    const context: BenchContext = {
      smoke,
      databaseUrl: await freshDatabase(),
      serverUrl,
      elasticsearchUrl,
      indexPrefix,
      natsUrl,
      freshDatabase,
      size: (full, tiny) => (smoke ? tiny : full),
      log: (message) => log(`  ${suite.name}: ${message}`),
    };
    current.push(...(await suite.run(context)));
  }
  measurements.push(current);
}

const referenceAtEnd = await referenceWorkMs();
const admin = postgres(`${serverUrl}/postgres`, { max: 1, onnotice: () => {} });
const [{ version: postgresVersion } = { version: 'unknown' }] = await admin<{ version: string }[]>`select version()`;
await admin.end();
await dropDatabase(databaseUrl);
const esInfo = (await (await fetch(`${elasticsearchUrl}/_nodes/_local/_all`)).json()) as { nodes: Record<string, { version: string }> };

const out = args.out ?? (smoke ? join(tmpdir(), 'hindsight-bench-smoke') : 'docs');
const flags = [
  smoke ? ' --smoke' : '',
  args.runs ? ` --runs ${args.runs}` : '',
  args.only ? ` --only ${args.only}` : '',
  args.out ? ` --out ${args.out}` : '',
  args.merge ? ' --merge' : '',
  args.database ? ` --database ${args.database}` : '',
].join('');
const measured = aggregate(measurements);
const { rows, earlier } = args.merge ? mergeWithPage(join(out, 'benchmarks.json'), measured) : { rows: measured, earlier: [] };
const report: BenchReport = {
  startedAt: started.toISOString(),
  finishedAt: new Date().toISOString(),
  command: `npm run bench${flags ? ` --${flags}` : ''}`,
  runs,
  smoke,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    node: process.version,
    postgres: postgresVersion.split(' on ')[0] ?? postgresVersion,
    elasticsearch: Object.values(esInfo.nodes)[0]?.version ?? 'unknown',
    [referenceWorkKey]: `${Math.round(referenceAtStart)} at the start, ${Math.round(referenceAtEnd)} at the end`,
  },
  rows,
  targets: evaluateTargets(rows),
  ...(earlier.length > 0 ? { earlier } : {}),
};

console.log(renderTable(report));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'benchmarks.svg'), await renderChart(report));
writeFileSync(join(out, 'benchmarks.md'), renderMarkdown(report));
log(`wrote ${out}/benchmarks.{json,svg,md}`);
