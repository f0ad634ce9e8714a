import { notFound } from 'next/navigation';
import { CorrelationTrace } from '../../../../_components/correlation-trace';
import { HydrateClient, prefetch, trpc } from '../../../../_trpc/server';
import { requireStaff } from '../../../_gate/require-staff';

/** The shape the edge accepts a correlation id in (server/trpc/init.ts): anything else is a 404 here. */
const correlationIdShape = /^[A-Za-z0-9._:-]{1,64}$/;

/** Everything one correlation id led to, whatever chain it is: a checkout, a cancellation, a staff retry. */
export default async function BackOfficeTracePage({ params }: { params: Promise<{ correlationId: string }> }) {
  await requireStaff();
  const correlationId = decoded((await params).correlationId);
  if (correlationId === null || !correlationIdShape.test(correlationId)) notFound();
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
