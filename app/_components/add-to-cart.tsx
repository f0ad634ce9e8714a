'use client';

import { useState } from 'react';
import Link from 'next/link';
import { useCommand } from '../_consistency/use-command';
import { useTRPC } from '../_trpc/client';
import { quantityChoices } from './product-stock';

/**
 * The quantity picker and the button. It offers no more than the catalog has in stock; the server still has
 * the last word, at checkout, since the stock may change meanwhile.
 */
export function AddToCart(props: { productId: string; name: string; stock: number }) {
  const trpc = useTRPC();
  const choices = quantityChoices(props.stock);
  const [picked, setQuantity] = useState(1);
  // The stock may fall below what was picked while the page is open (the read model refreshes).
  const quantity = Math.min(picked, Math.max(1, choices.length));
  const addItem = useCommand(trpc.cart.addItem.mutationOptions());
  if (choices.length === 0) {
    return (
      <div className="actions">
        <button type="button" disabled aria-label={`${props.name} is out of stock`}>
          Out of stock
        </button>
      </div>
    );
  }
  return (
    <div className="actions">
      <select value={quantity} onChange={(event) => setQuantity(Number(event.target.value))} aria-label={`Quantity of ${props.name}`}>
        {choices.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={addItem.isPending}
        onClick={() => addItem.send({ productId: props.productId, quantity })}
        aria-label={`Add ${props.name} to cart`}
      >
        Add to cart
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
