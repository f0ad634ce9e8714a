import { z } from 'zod';
import { isStreamId } from '@/common';
import { StreamBrowser } from '../../../_components/stream-browser';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

/**
 * The URL's stream and page; a malformed page is dropped (the first is shown). The stream id is passed on as
 * given, so one that cannot be a stream id is answered in words by the query rather than silently ignored.
 */
const atSchema = z.object({
  stream: z.string().trim().max(1_000).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(42_949_672).optional().catch(undefined),
  version: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
});

/** Any stream of the log by its id, or the streams written to last to pick one from. */
export default async function BackOfficeStreamsPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireStaff();
  const given = atSchema.parse(await searchParams);
  const at = { streamId: given.stream || null, page: given.page ?? 1, version: given.version };
  // A malformed id is not prefetched: the browser's own call gets the 400 and says why in words.
  if (at.streamId && isStreamId(at.streamId)) prefetch(trpc.streams.read.queryOptions({ streamId: at.streamId, page: at.page, version: at.version }));
  else if (!at.streamId) prefetch(trpc.streams.recent.queryOptions());
  return (
    <HydrateClient>
      <StreamBrowser at={at} />
    </HydrateClient>
  );
}
