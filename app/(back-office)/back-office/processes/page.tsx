import { ParkedProcesses } from '../../../_components/parked-processes';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

/** The fulfillment processes that stopped and wait for staff to retry or cancel them. */
export default async function BackOfficeProcessesPage() {
  await requireStaff();
  prefetch(trpc.operations.parkedProcesses.queryOptions());
  prefetch(trpc.operations.processCounts.queryOptions());
  return (
    <HydrateClient>
      <h1>Processes</h1>
      <ParkedProcesses />
    </HydrateClient>
  );
}
