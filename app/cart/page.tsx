import { CartView } from '../_components/cart-view';
import { HydrateClient, prefetch, serverCaller, trpc } from '../_trpc/server';

/** A guest's cart shows too; checking out asks them to sign in. */
export default async function CartPage() {
  const { viewer } = await (await serverCaller()).session.current();
  prefetch(trpc.cart.get.queryOptions());
  if (viewer) prefetch(trpc.payments.testCards.queryOptions());
  return (
    <HydrateClient>
      <CartView signedIn={viewer !== null} />
    </HydrateClient>
  );
}
