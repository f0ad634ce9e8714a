import { z } from 'zod';
import { Catalog } from './_components/catalog';
import { HydrateClient, prefetch, trpc } from './_trpc/server';

const searchSchema = z.object({
  category: z.string().min(1).max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});

export default async function StorefrontPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { category, page } = searchSchema.parse(await searchParams);
  prefetch(trpc.catalog.list.queryOptions({ category, page }));
  return (
    <HydrateClient>
      <Catalog category={category} page={page} />
    </HydrateClient>
  );
}
