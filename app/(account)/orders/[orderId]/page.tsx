import { notFound } from 'next/navigation';
import { z } from 'zod';
import { OrderDetail } from '../../_components/order-detail';
import { PickCustomerFirst } from '../../_components/pick-customer-first';
import { HydrateClient, prefetch, serverCaller, trpc } from '../../_trpc/server';

export default async function OrderPage({
  params,
  searchParams,
}: {
  params: Promise<{ orderId: string }>;
  searchParams: Promise<Record<string, unknown>>;
}) {
  const { customerId } = await (await serverCaller()).session.current();
  if (!customerId) return <PickCustomerFirst what="this order" />;
  const { orderId } = await params;
  if (!z.uuid().safeParse(orderId).success) notFound();
  const justPlaced = (await searchParams).placed === '1';
  prefetch(trpc.orders.detail.queryOptions({ orderId }));
  return (
    <HydrateClient>
      <OrderDetail orderId={orderId} justPlaced={justPlaced} />
    </HydrateClient>
  );
}
