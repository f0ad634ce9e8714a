'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { streamLabel } from './back-office-labels';
import { streamHref } from './back-office-links';
import { QueryStates } from './query-states';
import { TraceTimeline } from './trace-timeline';

/**
 * Everything one correlation id led to, read from the log: the timeline of an order's trace for any chain,
 * which is where a correlation link from the stream browser or another trace opens.
 */
export function CorrelationTrace({ correlationId }: { correlationId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.streams.trace.queryOptions({ correlationId }));
  return (
    <>
      <p>
        <Link href="/back-office/streams">← Streams</Link>
      </p>
      <h1>Trace</h1>
      <p className="stock">
        Correlation id <code>{correlationId}</code>
      </p>
      <QueryStates query={query} isEmpty={(trace) => trace.timeline.length === 0} empty="No event of the log carries this correlation id.">
        {(trace) => (
          <>
            {!trace.complete && (
              <p className="notice" role="status">
                This chain is longer than {trace.limit} events: the timeline shows its latest {trace.limit}.
              </p>
            )}
            <p className="stock">
              {trace.timeline.filter((entry) => 'event' in entry).length} events in {trace.streamIds.length} streams:{' '}
              {trace.streamIds.map((streamId, index) => {
                const stream = streamLabel(streamId);
                return (
                  <span key={streamId}>
                    {index > 0 && ', '}
                    <Link href={streamHref(streamId)} title={streamId}>
                      {stream.kind} <span className="id">{stream.id}</span>
                    </Link>
                  </span>
                );
              })}
              .
            </p>
            <TraceTimeline timeline={trace.timeline} />
          </>
        )}
      </QueryStates>
    </>
  );
}
