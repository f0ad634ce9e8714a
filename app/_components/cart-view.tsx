'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ConsistencyBanner } from '../_consistency/banner';
import { useCommand } from '../_consistency/use-command';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { CardFields, emptyCard } from './card-form';
import { formatCents } from './format';
import { readShippingAddress, ShippingAddressFields } from './shipping-address-form';
import { TestCards } from './test-cards';

/** What a test card's "Use" fills in besides its number: any future expiry and any code will do. */
const testCardExpiry = '12/34';
const testCardCvc = '123';

/** What the alert says when fields were refused: the messages themselves are beside each field. */
function checkoutSummary(issues: readonly { path: string }[]): string | null {
  const address = issues.some((issue) => issue.path.startsWith('shippingAddress.'));
  const card = issues.some((issue) => issue.path.startsWith('card.'));
  if (address && card) return 'Please check the shipping address and the card details below.';
  if (address) return 'Please check the shipping address below.';
  if (card) return 'Please check the card details below.';
  return null;
}

export function CartView() {
  const trpc = useTRPC();
  const router = useRouter();
  const { data, consistency } = useReadModel(trpc.cart.get.queryOptions());
  // One scope: quick successive changes run one after another, so the last choice is the one that stays.
  const changeQuantity = useCommand(trpc.cart.changeQuantity.mutationOptions({ scope: { id: 'cart' } }));
  const removeItem = useCommand(trpc.cart.removeItem.mutationOptions({ scope: { id: 'cart' } }));
  const checkOut = useCommand(
    trpc.cart.checkOut.mutationOptions({
      scope: { id: 'cart' },
      onSuccess: (result) => router.push(`/orders/${result.orderId}?placed=1`),
    }),
  );
  const [card, setCard] = useState(emptyCard);
  const cart = data.cart?.status === 'open' ? data.cart : null;
  // Refused fields come back as issues, shown beside each field. Anything else (the payment gateway is down or
  // refused the card) is said in the alert as the server put it.
  const issues = checkOut.error?.data?.issues ?? [];
  const checkoutMessage = checkoutSummary(issues) ?? checkOut.error?.message;
  const cartError = changeQuantity.error ?? removeItem.error;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!cart) return;
    checkOut.send({ cartId: cart.cartId, shippingAddress: readShippingAddress(new FormData(event.currentTarget)), card });
  }

  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <h1>Your cart</h1>
      {cartError && (
        <p className="error" role="alert">
          {cartError.message}
        </p>
      )}
      {!cart || cart.lines.length === 0 ? (
        <p className="notice">
          Your cart is empty. <Link href="/">Browse the shop</Link>
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Product</th>
                  <th className="number">Price</th>
                  <th>Quantity</th>
                  <th className="number">Subtotal</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {cart.lines.map((line) => (
                  <tr key={line.productId}>
                    <td>
                      <Link href={`/products/${line.productId}`}>{line.name}</Link>
                    </td>
                    <td className="number">{formatCents(line.unitPriceCents)}</td>
                    <td>
                      <select
                        aria-label={`Quantity of ${line.name}`}
                        value={line.quantity}
                        onChange={(event) =>
                          changeQuantity.send({ productId: line.productId, quantity: Number(event.target.value) })
                        }
                      >
                        {Array.from({ length: Math.max(10, line.quantity) }, (_, i) => i + 1).map((n) => (
                          <option key={n} value={n}>
                            {n}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="number">{formatCents(line.unitPriceCents * line.quantity)}</td>
                    <td>
                      <button type="button" className="secondary" onClick={() => removeItem.send({ productId: line.productId })}>
                        Remove<span className="visually-hidden"> {line.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={3}>Total ({cart.itemCount} items)</th>
                  <th className="number">{formatCents(cart.totalCents)}</th>
                  <th />
                </tr>
              </tfoot>
            </table>
          </div>
          <form className="checkout-form" aria-labelledby="checkout-heading" onSubmit={submit} noValidate>
            <h2 id="checkout-heading">Checkout</h2>
            <div className="checkout-parts">
              <ShippingAddressFields issues={issues} />
              <CardFields card={card} onChange={setCard} issues={issues} />
            </div>
            {checkoutMessage && (
              <p className="error" role="alert">
                {checkoutMessage}
              </p>
            )}
            <p className="actions">
              <button type="submit" disabled={checkOut.isPending || consistency.behind}>
                {checkOut.isPending ? 'Placing your order…' : 'Check out'}
              </button>
              {consistency.behind && <span className="stock">Waiting for the cart to catch up…</span>}
            </p>
          </form>
          <TestCards onUse={(number) => setCard({ number, expiry: testCardExpiry, cvc: testCardCvc })} />
        </>
      )}
    </>
  );
}
