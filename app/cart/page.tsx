import { CartView } from '../_components/cart-view';
import { PickCustomerFirst } from '../_components/pick-customer-first';
import { HydrateClient, prefetch, serverCaller, trpc } from '../_trpc/server';

export default async function CartPage() {
  const { customerId } = await (await serverCaller()).session.current();
  if (!customerId) return <PickCustomerFirst what="your cart" />;
  prefetch(trpc.cart.get.queryOptions());
  prefetch(trpc.payments.testCards.queryOptions());
  return (
    <HydrateClient>
      <CartView />
    </HydrateClient>
  );
}
