import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { z } from 'zod';
import { ProductView } from '../../_components/product-view';
import { HydrateClient, prefetch, serverCaller, trpc } from '../../_trpc/server';

type Params = { params: Promise<{ productId: string }> };

/** The product as the catalog has it now, or null; one read per request, for the title and the page. */
const findProduct = cache(async (productId: string) => {
  if (!z.uuid().safeParse(productId).success) return null;
  return (await (await serverCaller()).catalog.product({ productId })).product;
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const product = await findProduct((await params).productId);
  return { title: product ? `${product.name} · Hindsight shop` : 'Not found · Hindsight shop' };
}

/**
 * A product the catalog does not have is a 404, and so is an id that cannot be one. The catalog is a read
 * model: a product listed a moment ago may not be in it yet, and is a 404 until it is, which a reload mends.
 */
export default async function ProductPage({ params }: Params) {
  const { productId } = await params;
  if (!(await findProduct(productId))) notFound();
  prefetch(trpc.catalog.product.queryOptions({ productId }));
  return (
    <HydrateClient>
      <ProductView productId={productId} />
    </HydrateClient>
  );
}
