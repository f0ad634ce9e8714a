'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConsistencyBanner } from '../_consistency/banner';
import { useCommand } from '../_consistency/use-command';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { formatCents } from './format';
import { ShippingAddressForm } from './shipping-address-form';

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
  const cart = data.cart?.status === 'open' ? data.cart : null;
  // A refused address comes back as issues per field, shown beside each field; a summary says so here.
  const addressIssues = checkOut.error?.data?.issues ?? [];
  const error = changeQuantity.error ?? removeItem.error ?? checkOut.error;
  const errorMessage = addressIssues.length > 0 ? 'Please check the shipping address below.' : error?.message;

  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <h1>Your cart</h1>
      {errorMessage && (
        <p className="error" role="alert">
          {errorMessage}
        </p>
      )}
      {!cart || cart.lines.length === 0 ? (
        <p className="notice">
          Your cart is empty. <Link href="/">Browse the shop</Link>
        </p>
      ) : (
        <>
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
          <ShippingAddressForm
            disabled={checkOut.isPending || consistency.behind}
            pending={checkOut.isPending}
            issues={addressIssues}
            onSubmit={(shippingAddress) => checkOut.send({ cartId: cart.cartId, shippingAddress })}
          />
          {consistency.behind && <p className="stock">Waiting for the cart to catch up…</p>}
        </>
      )}
    </>
  );
}
