import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { eq, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { pauseConsumer, resumeConsumer } from '@/db/consumers';
import { compareLogPositions, logStart, readCheckpoint, type LogPosition } from '@/db/event-store';
import { consumerCheckpoints, consumerLeases } from '@/db/schema/event-store';
import {
  advance,
  cancelRequested,
  failRebuild,
  finished,
  LostRebuildError,
  positionOf,
  ProgressTotal,
  readRange,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildSource,
} from '../rebuild/rebuild';
import { projectionRebuilds, type ProjectionRebuildRow, type RebuildVerification } from '../schema';
import { maxSearchBatchSize, writeSearchBatch } from './indexing';
import type { SearchProjection } from './projection';
import { concreteIndices, createGeneration, generationName, physicalName, swapGeneration } from './search-index';

/** How long the live consumer may take to finish its batch in hand and let go of its lease (its TTL is 5 s). */
const releaseTimeoutMs = 20_000;

/**
 * A zero-downtime rebuild of an Elasticsearch read model, the same steps as a PostgreSQL one
 * (../rebuild/rebuild.ts) in Elasticsearch's terms:
 *
 * 1. **Build beside**: a new generation of the index (`<alias>_v<version>_g<rebuild id>`, empty, with the
 *    mapping) is filled from position zero by the projection's own folding (`writeSearchBatch`), with the
 *    rebuild's checkpoint in its row; the live index keeps serving and following the log.
 * 2. **Hold the live consumer**: there is no transaction spanning PostgreSQL and Elasticsearch to lock the
 *    live index with, so the rebuild pauses the live consumer through its lease (it stops after the batch in
 *    hand, on whichever instance runs it) and waits until its lease is let go. Searches go on meanwhile; only
 *    the live index's updates wait, for the seconds this step lasts.
 * 3. **One position, verify, swap**: the new generation reads on to the head, the live index is brought to the
 *    same position from the events between, and both are compared: document count and a hash of every
 *    document (id, version, source). Then one alias update (atomic in Elasticsearch) deletes the live index and
 *    points both the version's name and the read alias at the new generation, the live checkpoint is set to
 *    that position, and the live consumer resumes, writing to the new generation through the version's name.
 *
 * A difference fails the rebuild and keeps the live index (brought to the same position, its checkpoint
 * with it). A cancel deletes the new generation; the live index never noticed.
 */
export async function runSearchRebuild<Doc extends object>(
  source: RebuildSource,
  client: Client,
  claimed: ProjectionRebuildRow,
  projection: SearchProjection<Doc>,
  options: RebuildOptions,
): Promise<ProjectionRebuildRow> {
  const { orm, store } = source;
  const generation = generationName(projection.index, claimed.id);
  const batchSize = Math.min(options.batchSize, maxSearchBatchSize);
  const report = (phase: RebuildProgress['phase'], done: number, total: number) =>
    options.onProgress?.({ id: claimed.id, projections: claimed.projections, done, total, phase });
  let at: LogPosition = { transactionId: claimed.transactionId, position: claimed.position };
  let done = claimed.eventsDone;
  let total = 0;
  const progress = new ProgressTotal(orm);

  /** Reads and indexes into the new generation until a read finds the head; false when a cancel was asked. */
  const readOn = async (): Promise<boolean> => {
    for (;;) {
      const page = await store.readAll({ after: at, limit: batchSize, types: projection.handles });
      if (page.read > 0) {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        await writeSearchBatch(client, projection, page.events as never, { into: generation, refresh: false });
        total = await progress.afterPage(done, page.read, page.checkpoint, page.read < batchSize);
        const cancel = await advance(orm, claimed.id, options.instanceId, page.checkpoint, page.read, total);
        at = page.checkpoint;
        done += page.read;
        report('building', done, total);
        if (cancel) return false;
        if (page.read === batchSize) continue;
      }
      if (page.heldBack) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      return !(await cancelRequested(orm, claimed.id));
    }
  };

  try {
    if (compareLogPositions(at, logStart) === 0 || !(await client.indices.exists({ index: generation }))) {
      at = logStart;
      done = 0;
      await createGeneration(client, projection.index, generation);
    }
    if (!(await readOn())) return await cancelled(orm, client, claimed.id, generation, report, done, total);
    if (options.signal?.aborted) return await finished(orm, claimed.id);

    report('swapping', done, done);
    const [lease] = await orm.select({ pausedAt: consumerLeases.pausedAt }).from(consumerLeases).where(eq(consumerLeases.consumer, projection.name));
    // Paused by staff already: it stays paused after the rebuild, as they left it.
    const pausedByUs = !lease?.pausedAt && (await pauseConsumer(orm, projection.name, `rebuild #${claimed.id}`));
    try {
      await waitForRelease(orm, projection.name);
      if (!(await readOn())) return await cancelled(orm, client, claimed.id, generation, report, done, total);
      // The live index, to the same position: the events between its checkpoint and the rebuild's.
      const live = await readCheckpoint(orm, projection.name);
      // No live index yet (its consumer never wrote one): the rebuild is the first, and nothing is compared.
      const liveExists = (await concreteIndices(client, physicalName(projection.index))).length > 0;
      const gap = liveExists ? (await readRange(store, live, projection.handles, batchSize)).filter((event) => compareLogPositions(positionOf(event), at) <= 0) : [];
      for (let start = 0; start < gap.length; start += batchSize) {
        await writeSearchBatch(client, projection, gap.slice(start, start + batchSize) as never, { into: physicalName(projection.index), refresh: false });
      }
      const target = compareLogPositions(live, at) > 0 ? live : at;
      const verification: RebuildVerification = {
        at: `${target.transactionId}.${target.position}`,
        tables: [
          {
            projection: projection.name,
            table: projection.index.alias,
            rebuilt: await fingerprintIndex(client, generation),
            live: liveExists ? await fingerprintIndex(client, physicalName(projection.index)) : { rows: 0, hash: '' },
          },
        ],
        changedOnPurpose: liveExists ? [] : [projection.name],
      };
      const [compared] = verification.tables;
      const same = !liveExists || (compared!.live.rows === compared!.rebuilt.rows && compared!.live.hash === compared!.rebuilt.hash);
      if (same) await swapGeneration(client, projection.index, generation);
      else await client.indices.delete({ index: generation, ignore_unavailable: true });
      await orm.transaction(async (tx) => {
        await tx
          .update(consumerCheckpoints)
          .set({ transactionId: target.transactionId, position: target.position, updatedAt: sql`now()` })
          .where(eq(consumerCheckpoints.consumer, projection.name));
        await tx
          .update(projectionRebuilds)
          .set(
            same
              ? { status: 'swapped', verification, finishedAt: sql`now()`, eventsTotal: sql`${projectionRebuilds.eventsDone}` }
              : {
                  status: 'failed',
                  verification,
                  finishedAt: sql`now()`,
                  error:
                    `The rebuilt index differs from the live one: live ${compared!.live.rows} documents, rebuilt ${compared!.rebuilt.rows}, ` +
                    `content ${compared!.live.hash === compared!.rebuilt.hash ? 'equal' : 'different'}. The live index was kept. ` +
                    'If the mapping or the folding changed on purpose, bump the index version.',
                },
          )
          .where(eq(projectionRebuilds.id, claimed.id));
      });
      report(same ? 'swapped' : 'failed', done, done);
      return await finished(orm, claimed.id);
    } finally {
      if (pausedByUs) await resumeConsumer(orm, projection.name);
    }
  } catch (error) {
    if (error instanceof LostRebuildError) return await finished(orm, claimed.id);
    await client.indices.delete({ index: generation, ignore_unavailable: true }).catch(() => {});
    const failed = await failRebuild(orm, claimed.id, error);
    report('failed', done, total);
    return failed;
  }
}

/** Waits until no instance holds the consumer's lease: its holder let it go after its batch, or it expired. */
async function waitForRelease(orm: Orm, consumer: string): Promise<void> {
  const deadline = Date.now() + releaseTimeoutMs;
  for (;;) {
    const [row] = await orm
      .select({ held: sql<boolean>`(${consumerLeases.holder} is not null and ${consumerLeases.expiresAt} > now())` })
      .from(consumerLeases)
      .where(eq(consumerLeases.consumer, consumer));
    if (!row?.held) return;
    if (Date.now() > deadline) throw new Error(`${consumer} did not let go of its lease within ${releaseTimeoutMs / 1000} s, so the swap could not hold it.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An index's document count and a hash of its content: each document's id, version and source as one line,
 * the lines sorted (two indices filled in different orders give the same hash), hashed together.
 */
export async function fingerprintIndex(client: Client, index: string): Promise<{ rows: number; hash: string }> {
  await client.indices.refresh({ index });
  const lines: string[] = [];
  for await (const result of client.helpers.scrollSearch<Record<string, unknown>>({ index, version: true, size: 1_000, sort: ['_doc'], query: { match_all: {} } })) {
    for (const hit of result.body.hits.hits) lines.push(`${hit._id}\t${hit._version}\t${JSON.stringify(hit._source)}`);
  }
  lines.sort();
  const hash = createHash('md5');
  for (const line of lines) hash.update(`${line}\n`);
  return { rows: lines.length, hash: hash.digest('hex') };
}

async function cancelled(
  orm: Orm,
  client: Client,
  id: number,
  generation: string,
  report: (phase: RebuildProgress['phase'], done: number, total: number) => void,
  done: number,
  total: number,
): Promise<ProjectionRebuildRow> {
  await client.indices.delete({ index: generation, ignore_unavailable: true });
  await orm.update(projectionRebuilds).set({ status: 'cancelled', finishedAt: sql`now()` }).where(eq(projectionRebuilds.id, id));
  report('cancelled', done, total);
  return finished(orm, id);
}
