import { newInstanceId } from '@/db/consumers';
import { openDatabase } from '@/db/open';
import { postgresReadModels, searchProjections } from '@/projections';
import { createSearchClient } from '@/projections/runtime/elasticsearch/client';
import { runSearchRebuild } from '@/projections/runtime/elasticsearch/rebuild';
import type { SearchProjection } from '@/projections/runtime/elasticsearch/projection';
import { cancelRebuild, RebuildConflictError, requestRebuild, runRebuild, type RebuildProgress } from '@/projections/runtime/rebuild/rebuild';
import { shopEventStore } from '@/server/db';
import { env } from '@/server/env';
import { main, ScriptRefusal } from './main';

/**
 * `npm run rebuild -- NAME [NAME…] | --all`: rebuilds PostgreSQL read models (or one Elasticsearch index)
 * beside the live ones and swaps them in (docs/projections.md, "Rebuilding without downtime"), with a progress bar. The shop keeps serving
 * the live read models meanwhile; Ctrl-C cancels the rebuild, leaving them untouched. `--all` reads the log
 * once for every read model. Without a name it lists them.
 */
const usage = 'Usage: npm run rebuild -- <read model>… | --all   (without arguments: the list of read models)';

await main(async () => {
  const args = process.argv.slice(2);
  const readModels = postgresReadModels(env.ELASTICSEARCH_URL ? 'elasticsearch' : 'postgres');
  const indices: readonly SearchProjection[] = env.ELASTICSEARCH_URL ? Object.values(searchProjections(env.ELASTICSEARCH_INDEX_PREFIX)) : [];
  const names = args.filter((arg) => !arg.startsWith('--'));
  const unknownFlag = args.find((arg) => arg.startsWith('--') && arg !== '--all');
  if (unknownFlag) throw new ScriptRefusal(`${usage}\nUnknown option ${unknownFlag}.`);
  if (!args.includes('--all') && names.length === 0) {
    console.log(`${usage}\n\nThe PostgreSQL read models:\n${readModels.map((p) => `  ${p.name} (version ${p.version ?? 1}): ${p.tables.length} table(s)`).join('\n')}`);
    if (indices.length > 0) console.log(`\nThe Elasticsearch indices (one at a time):\n${indices.map((index) => `  ${index.name}`).join('\n')}`);
    return;
  }
  const index = indices.find((candidate) => names.includes(candidate.name));
  if (index && (names.length > 1 || args.includes('--all'))) throw new ScriptRefusal(`A search index is rebuilt on its own: npm run rebuild -- ${index.name}`);
  const unknown = names.filter((name) => !readModels.some((projection) => projection.name === name) && name !== index?.name);
  if (unknown.length > 0) {
    throw new ScriptRefusal(`No read model is named ${unknown.join(', ')}. The read models: ${[...readModels, ...indices].map((p) => p.name).join(', ')}.`);
  }
  const chosen = index ? [{ name: index.name }] : args.includes('--all') ? readModels : readModels.filter((projection) => names.includes(projection.name));

  const db = await openDatabase({ url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR }, { max: 4, applicationName: 'hindsight-rebuild', asyncReadModelCommits: true });
  const source = { orm: db.orm, store: shopEventStore(db.sql) };
  const instanceId = `${newInstanceId()}:cli`;
  try {
    const row = await requestRebuild(db.orm, chosen, 'requested from the terminal (npm run rebuild)', { holder: instanceId }).catch((error: unknown) => {
      throw error instanceof RebuildConflictError ? new ScriptRefusal(error.message) : error;
    });
    const bar = progressBar(args.includes('--all') ? `all ${chosen.length} read models` : chosen.map((projection) => projection.name).join(', '));
    const stop = () => {
      bar.note('cancelling after this batch…');
      void cancelRebuild(db.orm, row.id, 'the terminal (Ctrl-C)');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const rebuildOptions = { batchSize: env.REBUILD_BATCH_SIZE, instanceId, onProgress: bar.update };
    const client = index ? createSearchClient(env.ELASTICSEARCH_URL!) : null;
    const result = await (index && client
      ? runSearchRebuild(source, client, row, index, rebuildOptions).finally(() => client.close())
      : runRebuild(source, row, readModels, rebuildOptions));
    bar.end();
    if (result.status === 'swapped') {
      const tables = result.verification?.tables ?? [];
      const purpose = result.verification?.changedOnPurpose ?? [];
      console.log(`Swapped in at ${result.verification?.at}: ${result.eventsDone.toLocaleString('en')} events.`);
      for (const table of tables) {
        const same = table.live.hash === table.rebuilt.hash && table.live.rows === table.rebuilt.rows;
        console.log(`  ${table.table}: ${table.rebuilt.rows.toLocaleString('en')} ${index ? 'documents' : 'rows'}, ${same ? 'identical to the live one' : `live had ${table.live.rows.toLocaleString('en')} (changed on purpose: a new version)`}`);
      }
      if (purpose.length > 0) console.log(index ? 'There was no live index: this one is the first.' : `New version live: ${purpose.join(', ')}.`);
    } else if (result.status === 'cancelled') {
      console.log('Cancelled: the live read models are as they were.');
      process.exitCode = 130;
    } else {
      throw new ScriptRefusal(`The rebuild failed: ${result.error}`);
    }
  } finally {
    await db.close();
  }
});

/** One line redrawn in a terminal; a line every few seconds when the output is a file or a pipe. */
function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  const width = 30;
  let lastLine = 0;
  const started = performance.now();
  let shown = false;
  return {
    update(progress: RebuildProgress) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? progress.done / seconds : 0;
      const ratio = progress.total === 0 ? 1 : Math.min(1, progress.done / progress.total);
      const left = rate > 0 ? Math.max(0, (progress.total - progress.done) / rate) : 0;
      const filled = Math.round(ratio * width);
      const phase = progress.phase === 'building' ? `${Math.round(left)} s left` : progress.phase;
      const line =
        `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(ratio * 100)}% ` +
        `${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s, ${phase}`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        shown = true;
      } else if (performance.now() - lastLine > 3_000 || progress.phase !== 'building') {
        process.stderr.write(`${line}\n`);
        lastLine = performance.now();
      }
    },
    note(text: string) {
      process.stderr.write(`${tty && shown ? '\n' : ''}${text}\n`);
    },
    end() {
      if (tty && shown) process.stderr.write('\n');
    },
  };
}
