import { ParkedProcesses } from '../_components/parked-processes';
import { ProjectionStatusView } from '../_components/projection-status';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

export default function StatusPage() {
  prefetch(trpc.operations.parkedProcesses.queryOptions());
  prefetch(trpc.operations.processCounts.queryOptions());
  prefetch(trpc.operations.status.queryOptions());
  return (
    <HydrateClient>
      <h1>Status</h1>
      <ParkedProcesses />
      <ProjectionStatusView />
    </HydrateClient>
  );
}
