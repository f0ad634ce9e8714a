'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { AddToCart } from './add-to-cart';
import { catalogHref } from './catalog-navigation';
import { formatCents } from './format';
import { LocalTime } from './local-time';
import { ProductPicture } from './product-picture';
import { ProductStock } from './product-stock';

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
        <article className="card product-detail">
          <ProductPicture product={product} size="large" />
          <div className="product-facts">
            <Link href={catalogHref({ category: product.category, page: 1, sort: 'name' })} className="category">
              {product.category}
            </Link>
            <h1>{product.name}</h1>
            <p>{product.description}</p>
            <span className="price">{formatCents(product.priceCents)}</span>
            <ProductStock stock={product.stock} />
            <AddToCart productId={product.productId} name={product.name} stock={product.stock} />
            <p className="stock">
              In the shop since <LocalTime iso={product.listedAt} />
            </p>
          </div>
        </article>
      ) : (
        <p className="notice">This product is not in the catalog.</p>
      )}
    </>
  );
}
