import { parseArgs } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import postgres from 'postgres';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * Removes what a run of `npm test` (scripts/test.sh) created on the shared backends: scripts/test.sh calls it
 * when the run ends, whether its stages passed or not. Every name a run gives carries its run id (the first
 * line of its log), so a run that was killed before it could clean up is cleaned later by naming it:
 *
 *   npx tsx scripts/clean-test-run.ts --run ID [--run ID ...]
 *
 * removes the databases `hindsight_{test,e2e,bench}_ID*`, the search indices `{test,hindsight_e2e,hindsight_bench}_ID_*`
 * and the streams `HINDSIGHT_E2E_ID` and `TEST_ID_*`. With no --run it lists the runs that left names behind,
 * and removes nothing. `--database URL`, `--index-prefix P` and `--stream S` name more (a run's explicit
 * settings, which need not carry its id), under the reset scripts' rules: throwaway names only. The servers are
 * scripts/test.sh's: POSTGRES_URL, ELASTICSEARCH_URL and NATS_URL, or their local defaults.
 */
const { values: args } = parseArgs({
  options: {
    run: { type: 'string', multiple: true, default: [] },
    database: { type: 'string', multiple: true, default: [] },
    'index-prefix': { type: 'string', multiple: true, default: [] },
    stream: { type: 'string', multiple: true, default: [] },
  },
});

/** A run id as scripts/test.sh makes or accepts one: it goes into database, index and stream names. */
const runId = /^[a-z0-9]{1,16}$/;
/** A database, index or stream name with a run's id in it; the id is the first group. */
const ofARun = {
  database: /^hindsight_(?:test|e2e|bench)_([a-z0-9]{1,16})(?:_|$)/,
  index: /^(?:test|hindsight_e2e|hindsight_bench)_([a-z0-9]{1,16})_/,
  stream: /^(?:HINDSIGHT_E2E|TEST)_([A-Z0-9]{1,16})(?:_|$)/,
};

await main(async () => {
  for (const run of args.run) if (!runId.test(run)) throw new ScriptRefusal(`--run ${run}: a run id is 1 to 16 lowercase letters or digits.`);
  const explicitDatabases = args.database.map((url) => {
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.slice(1));
    if (!/^\w+$/.test(name) || !/(_test|_e2e)(_|$)/.test(name)) throw new ScriptRefusal(`Refusing to drop "${name}": only databases named *_test or *_e2e are dropped.`);
    return name;
  });
  for (const prefix of args['index-prefix']) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix) || prefix === 'hindsight') throw new ScriptRefusal(`Refusing to remove the indices of "${prefix}": name a test prefix.`);
  }
  for (const stream of args.stream) {
    if (!/(_TEST|_E2E)(_|$)/.test(stream)) throw new ScriptRefusal(`Refusing to delete the stream "${stream}": only streams named *_TEST or *_E2E are deleted.`);
  }
  const runs = new Set(args.run);
  const listOnly = runs.size === 0 && explicitDatabases.length === 0 && args['index-prefix'].length === 0 && args.stream.length === 0;
  const found = new Map<string, string[]>();
  const note = (run: string, name: string) => found.set(run, [...(found.get(run) ?? []), name]);
  const ours = (pattern: RegExp, name: string) => {
    const run = pattern.exec(name)?.[1]?.toLowerCase();
    if (run !== undefined && listOnly) note(run, name);
    return run !== undefined && runs.has(run);
  };

  // Databases: the run's, and the explicit ones with the per-file databases named after a template
  // (db/testing.ts adds twelve hex digits to its name; the gateway's and warehouse's specs a word before them).
  const sql = postgres(`${process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const names = (await sql<{ name: string }[]>`select datname as name from pg_database`).map((row) => row.name);
    const doomed = names.filter(
      (name) => ours(ofARun.database, name) || explicitDatabases.some((explicit) => name === explicit || new RegExp(`^${explicit}_(?:[a-z]+_)?[0-9a-f]{12}$`).test(name)),
    );
    for (const name of doomed) await sql`drop database if exists ${sql(name)} with (force)`;
    if (doomed.length > 0) console.log(`Databases dropped: ${doomed.join(', ')}.`);
  } finally {
    await sql.end();
  }

  {
    const client = createSearchClient(env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
    try {
      const indices = (await client.cat.indices({ format: 'json', expand_wildcards: 'all', h: 'index' })).map((row) => row.index ?? '');
      const doomed = indices.filter((index) => ours(ofARun.index, index) || args['index-prefix'].some((prefix) => index.startsWith(`${prefix}_`)));
      // One by one: Elasticsearch refuses wildcards in a delete (action.destructive_requires_name).
      for (const index of doomed) await client.indices.delete({ index, ignore_unavailable: true });
      if (doomed.length > 0) console.log(`Search indices removed: ${doomed.join(', ')}.`);
    } finally {
      await client.close();
    }
  }

  {
    const nc = await connect({ servers: (env.NATS_URL ?? 'nats://127.0.0.1:4222').split(','), timeout: 5_000 });
    try {
      const jsm = await jetstreamManager(nc);
      const streams: string[] = [];
      for await (const name of jsm.streams.names()) streams.push(name);
      const doomed = streams.filter((stream) => ours(ofARun.stream, stream) || args.stream.includes(stream));
      for (const stream of doomed) await jsm.streams.delete(stream);
      if (doomed.length > 0) console.log(`Streams deleted: ${doomed.join(', ')}.`);
    } finally {
      await nc.close();
    }
  }

  if (listOnly) {
    if (found.size === 0) return console.log('No run of the test suite left anything behind.');
    for (const [run, names] of found) console.log(`run ${run}: ${names.join(', ')}`);
    console.log('Remove a run\'s with --run ID (only once it has stopped: a run still going would lose its names).');
  }
});
