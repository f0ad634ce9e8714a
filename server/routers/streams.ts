import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { correlationIdPattern, maxStreamIdLength, streamIdPattern } from '@/common';
import type { InspectedEvent } from '@/db/event-store';
import { commandKeys, traceTimeline } from '../history/trace';
import { staffProcedure } from '../trpc/init';

/** Events per page of a stream: a screen of rows, each with its data folded away. */
export const streamPageSize = 50;

/** A stream's versions are PostgreSQL integers; no page can start past the last one. */
const maxStreamPage = Math.floor(2_147_483_647 / streamPageSize);

/** How many of the log's last events the recent-stream list reads: a cheap walk down the primary key. */
const recentScan = 500;

/** The most of one correlation id a trace shows; a longer chain shows its latest events and says so. */
export const traceLimit = 1_000;

const streamIdInput = z
  .string()
  .trim()
  .min(1, 'Please give a stream id.')
  .max(maxStreamIdLength, `A stream id is at most ${maxStreamIdLength} characters.`)
  .regex(streamIdPattern, 'A stream id is printable ASCII without spaces, like order-<uuid>.');

/** The shape the edge accepts a correlation id in (server/trpc/init.ts); anything else cannot be one. */
const correlationIdInput = z.string().regex(correlationIdPattern, 'That is not a correlation id.');

/**
 * A stream's category: its id without the trailing id (`order`, `fraud-check`, `timer`, …); for an id that
 * does not end in a UUID, the part before its first dash.
 */
export function streamCategory(streamId: string): string {
  const prefixed = /^(.+?)-[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}(?:\..+)?$/i.exec(streamId);
  if (prefixed) return prefixed[1]!;
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

/** An inspected event as the browser shows it, metadata spread out and the upcast said in so many words. */
function browsedEvent(event: InspectedEvent, idempotencyKey: string | null) {
  return {
    globalPosition: event.globalPosition,
    transactionId: event.transactionId,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    currentVersion: event.currentVersion,
    upcast: event.data !== null && event.schemaVersion < event.currentVersion,
    stored: event.stored as Record<string, unknown>,
    data: event.data as Record<string, unknown> | null,
    unreadable: event.unreadable,
    recordedAt: event.recordedAt,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    actor: event.metadata.actor,
    source: event.metadata.source,
    idempotencyKey,
  };
}

/**
 * The log as staff inspect it, below every read model: any stream's events with their metadata and both
 * shapes of their data, and everything one correlation id led to as one timeline. Read from the log itself,
 * so there is no checkpoint to wait for.
 */
export const streamsRouter = {
  /** The streams written to most recently, with their categories, to pick one from. */
  recent: staffProcedure.query(async ({ ctx }) => {
    const streams = (await ctx.store.readRecentStreams(recentScan)).map((stream) => ({ ...stream, category: streamCategory(stream.streamId) }));
    const categories = new Map<string, number>();
    for (const stream of streams) categories.set(stream.category, (categories.get(stream.category) ?? 0) + 1);
    return { scanned: recentScan, streams, categories: [...categories].map(([category, count]) => ({ category, count })) };
  }),

  /**
   * A page of one stream, oldest first: each event's version, position, type, time, metadata, the idempotency
   * key of the command that appended it, and its data as stored beside the upcast shape. A stream the log does
   * not have reads as `exists: false`, a page past its end as no events: both are answers, not errors.
   * Staff page by number, or open the page of one version (a link to an event).
   */
  read: staffProcedure
    .input(
      z.object({
        streamId: streamIdInput,
        page: z
          .number()
          .int()
          .min(1, 'Pages are counted from 1.')
          .max(maxStreamPage, `A stream has at most ${maxStreamPage} pages.`)
          .default(1),
        /** Instead of a page, the page that holds this version: how a link to one event opens the stream. */
        version: z.number().int().min(1, 'Versions are counted from 1.').max(2_147_483_647, 'No stream has that many versions.').optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = input.version ? Math.ceil(input.version / streamPageSize) : input.page;
      const from = (page - 1) * streamPageSize + 1;
      const { version, events } = await ctx.store.readStreamPage(input.streamId, { from, limit: streamPageSize });
      const keyOf = await commandKeys(ctx.store, events);
      return {
        streamId: input.streamId,
        category: streamCategory(input.streamId),
        exists: version > 0,
        version,
        page,
        pageSize: streamPageSize,
        pageCount: Math.max(1, Math.ceil(version / streamPageSize)),
        events: events.map((event) => browsedEvent(event, keyOf.get(event.transactionId) ?? null)),
      };
    }),

  /**
   * Everything one correlation id led to, as one timeline: the commands, every event across streams, the
   * process's steps and timers, the integration events and the mail. An id nothing carries is an empty trace.
   */
  trace: staffProcedure.input(z.object({ correlationId: correlationIdInput })).query(async ({ ctx, input }) => {
    const { events, complete } = await ctx.store.readCorrelation(input.correlationId, traceLimit);
    return {
      correlationId: input.correlationId,
      complete,
      limit: traceLimit,
      streamIds: [...new Set(events.map((event) => event.streamId))],
      timeline: await traceTimeline(ctx.db, ctx.store, events),
    };
  }),
} satisfies TRPCRouterRecord;
