'use client';

import { useState } from 'react';
import Link from 'next/link';
import { useCommand } from '../_consistency/use-command';
import { useTRPC } from '../_trpc/client';

export function AddToCart({ productId, name, inStock }: { productId: string; name: string; inStock: boolean }) {
  const trpc = useTRPC();
  const [quantity, setQuantity] = useState(1);
  const addItem = useCommand(trpc.cart.addItem.mutationOptions());
  return (
    <div className="actions">
      <label>
        <span className="visually-hidden">Quantity of {name}</span>
        <select value={quantity} onChange={(event) => setQuantity(Number(event.target.value))} aria-label={`Quantity of ${name}`}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        disabled={!inStock || addItem.isPending}
        onClick={() => addItem.send({ productId, quantity })}
        aria-label={`Add ${name} to cart`}
      >
        {inStock ? 'Add to cart' : 'Sold out'}
      </button>
      {addItem.isSuccess && (
        <span role="status">
          Added. <Link href="/cart">View cart</Link>
        </span>
      )}
      {addItem.error && (
        <p className="error" role="alert">
          {addItem.error.message}
        </p>
      )}
    </div>
  );
}
