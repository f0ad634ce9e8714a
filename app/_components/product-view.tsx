'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { AddToCart } from './add-to-cart';
import { formatCents } from './format';

export function ProductView({ productId }: { productId: string }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.catalog.product.queryOptions({ productId }));
  const { product } = data;
  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <p>
        <Link href="/">← Back to the shop</Link>
      </p>
      {product ? (
        <article className="card">
          <Link href={`/?category=${encodeURIComponent(product.category)}`} className="category">
            {product.category}
          </Link>
          <h1>{product.name}</h1>
          <p>{product.description}</p>
          <span className="price">{formatCents(product.priceCents)}</span>
          <span className={product.stock < 5 ? 'stock low' : 'stock'}>
            {product.stock === 0 ? 'Sold out' : `${product.stock} in stock`}
          </span>
          <AddToCart productId={product.productId} name={product.name} inStock={product.stock > 0} />
        </article>
      ) : (
        <p className="notice">This product is not in the catalog.</p>
      )}
    </>
  );
}
