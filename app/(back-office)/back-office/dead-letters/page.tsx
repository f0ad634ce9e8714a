import { DeadLetters } from '../../../_components/dead-letters';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

/** What external consumers could not deliver, to retry or skip; `?show=resolved` lists the ones already done. */
export default async function BackOfficeDeadLettersPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireStaff();
  const show = (await searchParams).show === 'resolved' ? 'resolved' : 'open';
  prefetch(trpc.deadLetters.list.queryOptions({ show }));
  return (
    <HydrateClient>
      <h1>Dead letters</h1>
      <DeadLetters show={show} />
    </HydrateClient>
  );
}
