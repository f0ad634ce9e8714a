import { TRPCError } from '@trpc/server';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { BackOfficeTrace } from '../../../../_components/back-office-trace';
import { HydrateClient, prefetch, serverCaller, trpc } from '../../../../_trpc/server';
import { requireStaff } from '../../../_gate/require-staff';

/** An order's full trace. A 404 for an id that is not one, or an order the log does not have. */
export default async function BackOfficeOrderPage({ params }: { params: Promise<{ orderId: string }> }) {
  await requireStaff();
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  try {
    await (await serverCaller()).backOffice.orders.trace({ orderId });
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  prefetch(trpc.backOffice.orders.trace.queryOptions({ orderId }));
  return (
    <HydrateClient>
      <BackOfficeTrace orderId={orderId} />
    </HydrateClient>
  );
}
