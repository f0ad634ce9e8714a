'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { isBehind, refetchWhileBehindMs } from '../_consistency/use-consistency';
import { useLastToken } from '../_consistency/last-token';
import { useProgress, useRefetchOnProgress } from '../_consistency/progress';
import { useTRPC } from '../_trpc/client';

/**
 * The header's cart link with how many items the cart holds. It reads the carts read model like the cart
 * page, so right after "Add to cart" it follows that read model (pushed, or polled while the push is down) until it
 * has caught up, then shows the new count.
 */
export function CartCount() {
  const trpc = useTRPC();
  const { token } = useLastToken();
  const { polling } = useProgress();
  const { data, refetch } = useQuery({
    ...trpc.cart.get.queryOptions(),
    refetchInterval: (query) => (polling && isBehind(query.state.data?.checkpoint, token) ? refetchWhileBehindMs : false),
  });
  useRefetchOnProgress(data?.checkpoint, refetch);
  const count = data?.cart?.itemCount ?? 0;
  return (
    <Link href="/cart" className="cart-link" aria-label={count > 0 ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart, empty'}>
      Cart
      {count > 0 && (
        <span className="cart-count" aria-hidden="true">
          {count}
        </span>
      )}
    </Link>
  );
}
