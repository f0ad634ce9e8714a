import { z } from 'zod';
import { orderStatuses } from '@/common';
import { OrderHistory } from '../../_components/order-history';
import { OrderSearchResults } from '../../_components/order-search-results';
import { OrdersAsOf } from '../../_components/orders-as-of';
import { HydrateClient, prefetch, trpc } from '../../_trpc/server';
import { requireViewer } from '../_gate/require-viewer';

const day = z.iso.date().optional().catch(undefined);
const searchSchema = z.object({
  status: z.enum(orderStatuses).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  from: day,
  to: day,
  asOf: day,
});

/**
 * The order history (PostgreSQL read model) by default; with a product name or dates, the order search
 * (Elasticsearch read model). Each shows its own read model's banner. With `asOf`, the orders as they stood
 * at the end of that day.
 */
export default async function OrdersPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireViewer();
  const { status, q, from, to, asOf } = searchSchema.parse(await searchParams);
  if (asOf) return <OrdersAsOf date={asOf} />;
  if (q || from || to) {
    // An inverted range is swapped rather than refused: the shopper's intent is clear.
    const [placedFrom, placedTo] = from && to && from > to ? [to, from] : [from, to];
    const filters = { text: q || undefined, status, placedFrom, placedTo };
    prefetch(trpc.orders.search.queryOptions(filters));
    return (
      <HydrateClient>
        <OrderSearchResults filters={filters} />
      </HydrateClient>
    );
  }
  prefetch(trpc.orders.history.queryOptions({ status }));
  return (
    <HydrateClient>
      <OrderHistory status={status} />
    </HydrateClient>
  );
}
