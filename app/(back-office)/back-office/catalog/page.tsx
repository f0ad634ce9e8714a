import { z } from 'zod';
import { BackOfficeCatalog } from '../../../_components/back-office-catalog';
import { HydrateClient, prefetch, trpc } from '../../../_trpc/server';
import { requireStaff } from '../../_gate/require-staff';

const paramsSchema = z.object({
  category: z.string().trim().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000).optional().catch(undefined),
});

export default async function BackOfficeCatalogPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  await requireStaff();
  const { category, page = 1 } = paramsSchema.parse(await searchParams);
  prefetch(trpc.backOffice.catalog.products.queryOptions({ category, page, sort: 'name' }));
  return (
    <HydrateClient>
      <BackOfficeCatalog category={category} page={page} />
    </HydrateClient>
  );
}
