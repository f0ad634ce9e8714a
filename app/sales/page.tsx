import { DailySales } from '../_components/daily-sales';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

const days = 14;

export default function SalesPage() {
  prefetch(trpc.sales.daily.queryOptions({ days }));
  return (
    <HydrateClient>
      <DailySales days={days} />
    </HydrateClient>
  );
}
