import { z } from 'zod';
import { orderStatuses } from '@/common';
import type { BackOfficeOrderFilters } from '../../../_components/back-office-links';
import { BackOfficeOrders } from '../../../_components/back-office-orders';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

const day = z.iso.date().optional().catch(undefined);
/** The URL's filters; anything malformed is dropped (a hand-edited URL shows every order rather than an error). */
const filtersSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(orderStatuses).optional().catch(undefined),
  customer: z.uuid().optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(200).optional().catch(undefined),
});

/** Every order, searched and filtered from the URL, a page at a time. */
export default async function BackOfficeOrdersPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireStaff();
  const given = filtersSchema.parse(await searchParams);
  // An inverted range is swapped rather than refused: what staff meant is clear.
  const [placedFrom, placedTo] = given.from && given.to && given.from > given.to ? [given.to, given.from] : [given.from, given.to];
  const filters: BackOfficeOrderFilters = {
    text: given.q || undefined,
    status: given.status,
    customerId: given.customer,
    placedFrom,
    placedTo,
    page: given.page ?? 1,
  };
  prefetch(trpc.backOffice.orders.search.queryOptions(filters));
  prefetch(trpc.backOffice.orders.customers.queryOptions());
  return (
    <HydrateClient>
      <BackOfficeOrders filters={filters} />
    </HydrateClient>
  );
}
