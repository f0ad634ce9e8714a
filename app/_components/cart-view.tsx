'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ConsistencyBanner } from '../_consistency/banner';
import { useCommand } from '../_consistency/use-command';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { CardFields, emptyCard } from './card-form';
import { formatCents } from './format';
import { ProductPicture } from './product-picture';
import { quantityChoices } from './product-stock';
import { readShippingAddress, ShippingAddressFields } from './shipping-address-form';
import { TestCards } from './test-cards';

/** What a test card's "Use" fills in besides its number: any future expiry and any code will do. */
const testCardExpiry = '12/34';
const testCardCvc = '123';

type CartLine = { quantity: number; stock: number | null };

/**
 * What a line's picker offers: 1 up to the stock and the most a line holds. A line that already asks for more
 * than the stock keeps its own quantity in the menu (marked), so the menu shows what the cart holds.
 */
function lineQuantityChoices(line: CartLine, maxLineQuantity: number): number[] {
  const choices = quantityChoices(line.stock ?? maxLineQuantity, maxLineQuantity);
  return line.quantity > choices.length ? [...choices, line.quantity] : choices;
}

/** What the alert says when fields were refused: the messages themselves are beside each field. */
function checkoutSummary(issues: readonly { path: string }[]): string | null {
  const address = issues.some((issue) => issue.path.startsWith('shippingAddress.'));
  const card = issues.some((issue) => issue.path.startsWith('card.'));
  if (address && card) return 'Please check the shipping address and the card details below.';
  if (address) return 'Please check the shipping address below.';
  if (card) return 'Please check the card details below.';
  return null;
}

/**
 * How long after a checkout the cart page still takes the shopper to the order: long enough for a reload
 * while the checkout was on its way (the answer, which would have opened the order, was lost), short enough
 * that an old cart cookie does not send them to an old order.
 */
const justPlacedMs = 10 * 60_000;

/** The cart; checking out needs an account, so a guest is asked to sign in first (the cart comes along). */
export function CartView({ signedIn }: { signedIn: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data, consistency } = useReadModel(trpc.cart.get.queryOptions());
  // One scope: quick successive changes run one after another, so the last choice is the one that stays.
  const changeQuantity = useCommand(trpc.cart.changeQuantity.mutationOptions({ scope: { id: 'cart' } }));
  const removeItem = useCommand(trpc.cart.removeItem.mutationOptions({ scope: { id: 'cart' } }));
  const checkOut = useCommand(
    trpc.cart.checkOut.mutationOptions({
      scope: { id: 'cart' },
      onSuccess: (result) => router.push(`/orders/${result.orderId}?placed=1`),
      // "Already checked out": a checkout from before a reload got through. Reading the cart again finds its
      // order, and the page opens it.
      onError: () => void queryClient.invalidateQueries({ queryKey: trpc.cart.get.queryKey() }),
    }),
  );
  const [card, setCard] = useState(emptyCard);
  const cart = data.cart?.status === 'open' ? data.cart : null;
  // This browser's cart was checked out, but the page is still here: the shopper reloaded (or went back) while
  // the checkout was being placed. The order exists; open it instead of showing an empty cart.
  const placedOrderId =
    data.cart?.status === 'checked_out' && data.cart.orderId && Date.now() - new Date(data.cart.updatedAt).getTime() < justPlacedMs
      ? data.cart.orderId
      : null;
  useEffect(() => {
    if (placedOrderId) router.replace(`/orders/${placedOrderId}?placed=1`);
  }, [placedOrderId, router]);
  // Refused fields come back as issues, shown beside each field. Anything else (the payment gateway is down or
  // refused the card) is said in the alert as the server put it.
  const issues = checkOut.error?.data?.issues ?? [];
  const checkoutMessage = checkoutSummary(issues) ?? checkOut.error?.message;
  const cartError = changeQuantity.error ?? removeItem.error;
  // Checkout would refuse these (the stock is checked again when the order is placed); the page says so first.
  const shortLines = cart?.lines.filter((line) => line.stock !== null && line.quantity > line.stock).length ?? 0;

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
      {placedOrderId ? (
        <p className="notice" role="status">
          This cart was checked out: <Link href={`/orders/${placedOrderId}?placed=1`}>your order has been placed</Link>. Opening it…
        </p>
      ) : !cart || cart.lines.length === 0 ? (
        <p className="notice">
          Your cart is empty. <Link href="/">Browse the shop</Link>
        </p>
      ) : (
        <>
          <table className="cart-lines" aria-label="Cart lines">
            <thead>
              <tr>
                <th>Product</th>
                <th className="number">Price</th>
                <th>Quantity</th>
                <th className="number">Subtotal</th>
                <th>
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cart.lines.map((line) => {
                const shortBy = line.stock !== null && line.quantity > line.stock;
                const warningId = `stock-warning-${line.productId}`;
                return (
                  <tr key={line.productId} className={shortBy ? 'short' : undefined}>
                    <td className="cart-product">
                      <ProductPicture product={line} size="thumbnail" />
                      <span>
                        <Link href={`/products/${line.productId}`}>{line.name}</Link>
                        {shortBy && (
                          <span id={warningId} className="stock-warning">
                            {line.stock === 0
                              ? 'Out of stock: remove it to check out'
                              : `Only ${line.stock} left: lower the quantity to check out`}
                          </span>
                        )}
                      </span>
                    </td>
                    <td className="number" data-label="Price">
                      {formatCents(line.unitPriceCents)}
                    </td>
                    <td data-label="Quantity">
                      <select
                        aria-label={`Quantity of ${line.name}`}
                        aria-describedby={shortBy ? warningId : undefined}
                        aria-invalid={shortBy || undefined}
                        value={line.quantity}
                        onChange={(event) =>
                          changeQuantity.send({ productId: line.productId, quantity: Number(event.target.value) })
                        }
                      >
                        {lineQuantityChoices(line, cart.maxLineQuantity).map((n) => (
                          <option key={n} value={n}>
                            {n > (line.stock ?? n) ? `${n} (too many)` : n}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="number" data-label="Subtotal">
                      {formatCents(line.unitPriceCents * line.quantity)}
                    </td>
                    <td className="cart-remove">
                      <button type="button" className="secondary" onClick={() => removeItem.send({ productId: line.productId })}>
                        Remove<span className="visually-hidden"> {line.name}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={3}>Total ({cart.itemCount} {cart.itemCount === 1 ? 'item' : 'items'})</th>
                <th className="number">{formatCents(cart.totalCents)}</th>
                <th />
              </tr>
            </tfoot>
          </table>
          {signedIn ? (
            <>
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
                  <button type="submit" disabled={checkOut.isPending || consistency.behind || shortLines > 0}>
                    {checkOut.isPending ? 'Placing your order…' : 'Check out'}
                  </button>
                  {consistency.behind && <span className="stock">Waiting for the cart to catch up…</span>}
                  {shortLines > 0 && (
                    <span className="stock-warning" role="status">
                      {shortLines === 1
                        ? 'One line asks for more than is in stock: lower it to check out.'
                        : `${shortLines} lines ask for more than is in stock: lower them to check out.`}
                    </span>
                  )}
                </p>
              </form>
              <TestCards onUse={(number) => setCard({ number, expiry: testCardExpiry, cvc: testCardCvc })} />
            </>
          ) : (
            <p className="notice">
              <Link href={`/sign-in?returnTo=${encodeURIComponent('/cart')}`}>Sign in</Link> to check out. Your cart comes
              with you.
            </p>
          )}
        </>
      )}
    </>
  );
}
