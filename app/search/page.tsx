import { z } from 'zod';
import { priceBandKeys } from '@/common';
import { ProductSearch } from '../_components/product-search';
import { HydrateClient, prefetch, trpc } from '../_trpc/server';

const searchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  category: z.string().min(1).max(100).optional().catch(undefined),
  price: z.enum(priceBandKeys).optional().catch(undefined),
  sort: z.enum(['relevance', 'price_asc', 'price_desc']).catch('relevance').default('relevance'),
  page: z.coerce.number().int().min(1).max(400).catch(1).default(1),
});

export default async function SearchPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { q, category, price, sort, page } = searchSchema.parse(await searchParams);
  const params = { text: q || undefined, category, priceBand: price, sort, page };
  prefetch(trpc.search.products.queryOptions(params));
  return (
    <HydrateClient>
      <ProductSearch params={params} />
    </HydrateClient>
  );
}
