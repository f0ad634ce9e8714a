import { ProjectionStatusView } from '../_components/projection-status';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

export default function StatusPage() {
  prefetch(trpc.operations.status.queryOptions());
  return (
    <HydrateClient>
      <ProjectionStatusView />
    </HydrateClient>
  );
}
