import { BrokerStatus } from '../_components/broker-status';
import { ParkedProcesses } from '../_components/parked-processes';
import { ProjectionStatusView } from '../_components/projection-status';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

export default function StatusPage() {
  prefetch(trpc.operations.parkedProcesses.queryOptions());
  prefetch(trpc.operations.processCounts.queryOptions());
  prefetch(trpc.operations.status.queryOptions());
  prefetch(trpc.operations.broker.queryOptions());
  return (
    <HydrateClient>
      <h1>Status</h1>
      <ParkedProcesses />
      <ProjectionStatusView />
      <BrokerStatus />
    </HydrateClient>
  );
}
