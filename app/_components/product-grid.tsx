'use client';

import Link from 'next/link';
import { AddToCart } from './add-to-cart';
import { formatCents } from './format';
import { ProductPicture } from './product-picture';
import { ProductStock } from './product-stock';

type ProductCardData = { productId: string; name: string; category: string; priceCents: number; stock: number };

/** The storefront's product cards, shared by the catalog (PostgreSQL) and search (either backend). */
export function ProductGrid({ products }: { products: readonly ProductCardData[] }) {
  return (
    <ul className="product-grid" aria-label="Products">
      {products.map((product) => (
        <li key={product.productId} className="card product-card">
          <ProductPicture product={product} size="card" />
          <span className="category">{product.category}</span>
          {/* Its click area covers the card (globals.css), so the picture opens the product too. */}
          <Link href={`/products/${product.productId}`} className="product-link">
            <strong>{product.name}</strong>
          </Link>
          <span className="price">{formatCents(product.priceCents)}</span>
          <ProductStock stock={product.stock} />
          <AddToCart productId={product.productId} name={product.name} stock={product.stock} />
        </li>
      ))}
    </ul>
  );
}
