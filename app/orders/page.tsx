import { z } from 'zod';
import { orderStatuses } from '@/server/domain/order/state';
import { OrderHistory } from '../_components/order-history';
import { PickCustomerFirst } from '../_components/pick-customer-first';
import { HydrateClient, prefetch, serverCaller, trpc } from '../_trpc/server';

const searchSchema = z.object({ status: z.enum(orderStatuses).optional().catch(undefined) });

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { customerId } = await (await serverCaller()).session.current();
  if (!customerId) return <PickCustomerFirst what="your orders" />;
  const { status } = searchSchema.parse(await searchParams);
  prefetch(trpc.orders.history.queryOptions({ status }));
  return (
    <HydrateClient>
      <OrderHistory status={status} />
    </HydrateClient>
  );
}
