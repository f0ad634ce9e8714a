import { notFound } from 'next/navigation';
import { correlationIdPattern } from '@/common';
import { CorrelationTrace } from '../../../../_components/correlation-trace';
import { HydrateClient, prefetch, trpc } from '../../../../_trpc/server';
import { requireStaff } from '../../../_gate/require-staff';

/** Everything one correlation id led to, whatever chain it is; an id that cannot be one is a 404. */
export default async function BackOfficeTracePage({ params }: { params: Promise<{ correlationId: string }> }) {
  await requireStaff();
  const correlationId = decoded((await params).correlationId);
  if (correlationId === null || !correlationIdPattern.test(correlationId)) notFound();
  prefetch(trpc.streams.trace.queryOptions({ correlationId }));
  return (
    <HydrateClient>
      <CorrelationTrace correlationId={correlationId} />
    </HydrateClient>
  );
}

/** The path segment as text; null for a malformed escape (`%zz`), which no link of ours makes. */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
