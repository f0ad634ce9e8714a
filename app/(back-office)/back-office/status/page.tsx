import { BrokerStatus } from '../../../_components/broker-status';
import { LogHorizon } from '../../../_components/log-horizon';
import { ProjectionStatusView } from '../../../_components/projection-status';
import { Rebuilds } from '../../../_components/rebuilds';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

/** How far each consumer of the log has read, the rebuilds of read models, and the broker the integration events travel through. */
export default async function BackOfficeStatusPage() {
  await requireStaff();
  prefetch(trpc.operations.status.queryOptions());
  prefetch(trpc.operations.broker.queryOptions());
  prefetch(trpc.rebuilds.list.queryOptions());
  return (
    <HydrateClient>
      <h1>Status</h1>
      <ProjectionStatusView />
      <Rebuilds />
      <LogHorizon />
      <BrokerStatus />
    </HydrateClient>
  );
}
