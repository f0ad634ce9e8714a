import { z } from 'zod';
import { Catalog } from './_components/catalog';
import { catalogSorts } from './_components/catalog-navigation';
import { HydrateClient, prefetch, trpc } from './_trpc/server';

// A hand-edited or stale URL falls back to the defaults rather than failing the page: the API itself refuses
// a bad sort with a 400, but a shopper following an old link should still see the shop.
const searchSchema = z.object({
  category: z.string().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
  sort: z.enum(catalogSorts).catch('name').default('name'),
});

export default async function StorefrontPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const view = searchSchema.parse(await searchParams);
  prefetch(trpc.catalog.list.queryOptions(view));
  return (
    <HydrateClient>
      <Catalog view={view} />
    </HydrateClient>
  );
}
