import { notFound } from 'next/navigation';
import { z } from 'zod';
import { ProductView } from '../../_components/product-view';
import { HydrateClient, prefetch, trpc } from '../../_trpc/server';

export default async function ProductPage({ params }: { params: Promise<{ productId: string }> }) {
  const { productId } = await params;
  if (!z.uuid().safeParse(productId).success) notFound();
  prefetch(trpc.catalog.product.queryOptions({ productId }));
  return (
    <HydrateClient>
      <ProductView productId={productId} />
    </HydrateClient>
  );
}
