import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { postgresReadModels } from '@/projections';
import { cancelRebuild, listRebuilds, RebuildConflictError, requestRebuild } from '@/projections/runtime/rebuild/rebuild';
import { readModelVersions, type ProjectionRebuildRow } from '@/projections/runtime/schema';
import { staffProcedure } from '../trpc/init';

const readModelName = z.string().trim().min(1, 'Which read model?').max(200, 'That is not a read model name.');

/** A rebuild as the console shows it: its row, with the rate and the time left worked out. */
function progressOf(row: ProjectionRebuildRow) {
  const started = row.startedAt?.getTime() ?? null;
  const last = row.finishedAt?.getTime() ?? row.heartbeatAt?.getTime() ?? null;
  const seconds = started !== null && last !== null ? Math.max(0, (last - started) / 1000) : 0;
  const eventsPerSecond = seconds > 0 ? row.eventsDone / seconds : 0;
  const total = Math.max(row.eventsTotal, row.eventsDone);
  return {
    id: row.id,
    projections: row.projections,
    status: row.status,
    reason: row.reason,
    requestedAt: row.requestedAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    holder: row.holder,
    eventsDone: row.eventsDone,
    eventsTotal: total,
    eventsPerSecond: Math.round(eventsPerSecond),
    secondsLeft: eventsPerSecond > 0 ? Math.round((total - row.eventsDone) / eventsPerSecond) : null,
    cancelRequested: row.cancelRequestedAt !== null,
    error: row.error,
    verification: row.verification,
  };
}

/**
 * Rebuilds of the read models (PostgreSQL, and Elasticsearch indices one at a time) beside the live ones, from the Status page (staff only). Starting
 * one queues it for the workers (the web server itself in zero-setup mode), which pick it up within a
 * second. Like pausing a consumer, these set the engine's own state and append no domain event, so they are
 * staff procedures without an idempotency key: a second start while one runs is refused, not repeated.
 */
export const rebuildsRouter = {
  /** The read models that can be rebuilt, with their versions, and the rebuilds going and lately finished. */
  list: staffProcedure.query(async ({ ctx }) => {
    const readModels = postgresReadModels(ctx.search.kind);
    const live = await ctx.db.orm
      .select()
      .from(readModelVersions)
      .where(inArray(readModelVersions.projection, readModels.map((projection) => projection.name)));
    return {
      readModels: [
        ...readModels.map((projection) => ({
          name: projection.name,
          kind: 'postgres' as const,
          version: projection.version ?? 1,
          liveVersion: live.find((row) => row.projection === projection.name)?.version ?? null,
        })),
        // An index's version is in its name: a mapping change is a new index, filled beside the old one.
        ...ctx.search.indices.map((index) => ({ name: index.name, kind: 'elasticsearch' as const, version: index.index.version, liveVersion: index.index.version })),
      ],
      rebuilds: (await listRebuilds(ctx.db.orm)).map(progressOf),
    };
  }),

  /** Queues a rebuild of these read models (or all of them, reading the log once). 409 while one of them is being rebuilt. */
  start: staffProcedure
    .input(z.union([z.object({ all: z.literal(true) }), z.object({ readModels: z.array(readModelName).min(1, 'Choose a read model.').max(50) })]))
    .mutation(async ({ ctx, input }) => {
      const readModels = postgresReadModels(ctx.search.kind);
      const names = 'all' in input ? readModels.map((projection) => projection.name) : [...new Set(input.readModels)];
      const index = ctx.search.indices.find((candidate) => names.includes(candidate.name));
      if (index && names.length > 1) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `A search index is rebuilt on its own: start ${index.name} by itself.` });
      }
      const unknown = names.filter((name) => !readModels.some((projection) => projection.name === name) && name !== index?.name);
      // The name is not said back: it is whatever the client sent.
      if (unknown.length > 0) throw new TRPCError({ code: 'BAD_REQUEST', message: 'That is not a read model of this shop: choose one from the list.' });
      try {
        const chosen = index ? [{ name: index.name }] : readModels.filter((projection) => names.includes(projection.name));
        const row = await requestRebuild(ctx.db.orm, chosen, `requested by ${ctx.staff.name}`);
        return { id: row.id };
      } catch (error) {
        if (error instanceof RebuildConflictError) throw new TRPCError({ code: 'CONFLICT', message: error.message });
        throw error;
      }
    }),

  /** Stops a rebuild after the batch in hand and drops its shadow tables; the live read models never noticed. */
  cancel: staffProcedure
    .input(z.object({ id: z.number().int().positive().max(2 ** 31 - 1) }))
    .mutation(async ({ ctx, input }) => ({ cancelled: await cancelRebuild(ctx.db.orm, input.id, ctx.staff.name) })),
} satisfies TRPCRouterRecord;
