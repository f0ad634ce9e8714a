'use client';

import Link from 'next/link';
import { AddToCart } from './add-to-cart';
import { formatCents } from './format';

type ProductCardData = { productId: string; name: string; category: string; priceCents: number; stock: number };

/** The storefront's product cards, shared by the catalog (PostgreSQL) and search (either backend). */
export function ProductGrid({ products }: { products: readonly ProductCardData[] }) {
  return (
    <ul className="product-grid">
      {products.map((product) => (
        <li key={product.productId} className="card">
          <span className="category">{product.category}</span>
          <Link href={`/products/${product.productId}`}>
            <strong>{product.name}</strong>
          </Link>
          <span className="price">{formatCents(product.priceCents)}</span>
          <span className={product.stock < 5 ? 'stock low' : 'stock'}>
            {product.stock === 0 ? 'Sold out' : `${product.stock} in stock`}
          </span>
          <AddToCart productId={product.productId} name={product.name} inStock={product.stock > 0} />
        </li>
      ))}
    </ul>
  );
}
