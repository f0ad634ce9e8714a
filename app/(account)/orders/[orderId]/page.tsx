import { notFound } from 'next/navigation';
import { z } from 'zod';
import { OrderDetail } from '../../../_components/order-detail';
import { HydrateClient, prefetch, serverCaller, trpc } from '../../../_trpc/server';
import { requireViewer } from '../../_gate/require-viewer';

/**
 * One of the customer's orders. A 404 for an id that is not one, and for an order the log does not have as
 * theirs (another customer's reads exactly like a missing one). An order just placed that the read model has
 * not reached yet is theirs in the log: the page renders and says it is catching up.
 */
export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ orderId: string }>;
  searchParams: Promise<Record<string, unknown>>;
}) {
  await requireViewer();
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  const { placed } = await (await serverCaller()).orders.detail({ orderId });
  if (!placed) notFound();
  const justPlaced = (await searchParams).placed === '1';
  prefetch(trpc.orders.detail.queryOptions({ orderId }));
  return (
    <HydrateClient>
      <OrderDetail orderId={orderId} justPlaced={justPlaced} />
    </HydrateClient>
  );
}
