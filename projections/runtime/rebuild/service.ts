import type { Logger } from 'pino';
import { pause } from '@/db/consumers';
import type { Client } from '@elastic/elasticsearch';
import { runSearchRebuild } from '../elasticsearch/rebuild';
import type { SearchProjection } from '../elasticsearch/projection';
import { claimRebuild, failRebuild, queueVersionRebuilds, runRebuild, type RebuildOptions, type RebuildSource } from './rebuild';
import type { Projection } from '../projection';

/** How often an idle instance looks for a rebuild to run: a rebuild asked for in the console starts within it. */
const lookEveryMs = 1_000;

/**
 * The rebuilds a worker (or the zero-setup web server) runs: at start, one for every read model whose code
 * declares a higher version than its live tables were built with (a deploy that bumped it); then, while it
 * runs, whatever staff start on the Status page, and any rebuild an instance that died left half done. One
 * rebuild at a time per instance; several instances take different ones.
 */
export async function runRebuildService(
  source: RebuildSource,
  readModels: readonly Projection[],
  options: Omit<RebuildOptions, 'signal'> & {
    readonly signal: AbortSignal;
    readonly logger: Logger;
    /** The Elasticsearch read models and their cluster, when search runs on one. */
    readonly search?: { readonly client: Client; readonly indices: readonly SearchProjection[] };
  },
): Promise<void> {
  const { signal, logger } = options;
  const log = logger.child({ service: 'rebuilds' });
  for (let failures = 0; !signal.aborted; ) {
    try {
      if (failures === 0) {
        const queued = await queueVersionRebuilds(source.orm, readModels);
        if (queued) log.info({ rebuild: queued.id, projections: queued.projections, reason: queued.reason }, 'rebuild queued for a new read model version');
      }
      const claimed = await claimRebuild(source.orm, options.instanceId);
      failures = 0;
      if (!claimed) {
        await pause(lookEveryMs, signal);
        continue;
      }
      log.info({ rebuild: claimed.id, projections: claimed.projections, reason: claimed.reason, resumedAt: claimed.eventsDone }, 'rebuild started');
      const started = performance.now();
      const index = options.search?.indices.find((candidate) => claimed.projections.length === 1 && candidate.name === claimed.projections[0]);
      const known = claimed.projections.every((name) => readModels.some((projection) => projection.name === name));
      const result = index
        ? await runSearchRebuild(source, options.search!.client, claimed, index, options)
        : known
          ? await runRebuild(source, claimed, readModels, options)
          : await failRebuild(source.orm, claimed.id, `This shop runs no read model named ${claimed.projections.join(', ')}.`);
      const seconds = Math.round(performance.now() - started) / 1000;
      const summary = { rebuild: result.id, projections: result.projections, events: result.eventsDone, seconds };
      if (result.status === 'swapped') log.info(summary, 'rebuild swapped in');
      else if (result.status === 'failed') log.error({ ...summary, error: result.error }, 'rebuild failed; the live read models were kept');
      else log.info({ ...summary, status: result.status }, 'rebuild ended');
    } catch (error) {
      failures++;
      log.error({ err: error }, 'could not run rebuilds; trying again');
      await pause(Math.min(30_000, 1_000 * failures), signal);
    }
  }
}
