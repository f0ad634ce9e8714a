'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { formatAddress, formatCents, formatDateTime, shortId } from './format';
import { OrderActions } from './order-actions';
import { OrderTimeTravel } from './order-time-travel';

/** Event types as a shopper reads them on the timeline. */
const timelineLabels: Record<string, string> = {
  OrderPlaced: 'Order placed',
  OrderPaid: 'Payment received',
  OrderShipped: 'Shipped',
  OrderDelivered: 'Delivered',
  OrderCancelled: 'Cancelled',
};

export function OrderDetail({ orderId, justPlaced }: { orderId: string; justPlaced: boolean }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.orders.detail.queryOptions({ orderId }));
  const { order } = data;
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="Your order is being processed; this page updates by itself." />
      {justPlaced && (
        <p className="confirmation" role="status">
          Thank you! Your order <strong>#{shortId(orderId)}</strong> has been placed.
        </p>
      )}
      <p>
        <Link href="/orders">← All orders</Link>
      </p>
      <h1>Order #{shortId(orderId)}</h1>
      {!order ? (
        <p className="notice">
          {consistency.behind
            ? 'The order details will appear here as soon as they have been recorded.'
            : 'There is no such order among yours.'}
        </p>
      ) : (
        <>
          <section aria-label="Order summary">
            <p>
              Status: <span className={`status status-${order.status}`}>{order.status}</span> · placed{' '}
              {formatDateTime(order.placedAt)}
              {order.trackingNumber && ` · ${order.carrier} ${order.trackingNumber}`}
              {order.cancellationReason && ` · reason: ${order.cancellationReason}`}
            </p>
            <p>
              Ships to:{' '}
              {order.shippingAddress
                ? formatAddress(order.shippingAddress)
                : 'not recorded (the order was placed before the shop asked for an address)'}
            </p>
          </section>
          <table aria-label="Order lines">
            <thead>
              <tr>
                <th>Product</th>
                <th className="number">Price</th>
                <th className="number">Quantity</th>
                <th className="number">Subtotal</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.productId}>
                  <td>{line.name}</td>
                  <td className="number">{formatCents(line.unitPriceCents)}</td>
                  <td className="number">{line.quantity}</td>
                  <td className="number">{formatCents(line.unitPriceCents * line.quantity)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={3}>Total</th>
                <th className="number">{formatCents(order.totalCents)}</th>
              </tr>
            </tfoot>
          </table>
          <OrderActions orderId={order.orderId} status={order.status} disabled={consistency.behind} />
          <h2>Timeline</h2>
          <ol className="timeline" aria-label="Timeline">
            {order.timeline.map((entry) => (
              <li key={entry.streamVersion}>
                <strong>{timelineLabels[entry.eventType] ?? entry.eventType}</strong>{' '}
                <span className="meta">
                  {formatDateTime(entry.recordedAt)} · {entry.eventType} · correlation {shortId(entry.correlationId)} ·
                  by {entry.actor}
                </span>
              </li>
            ))}
          </ol>
          <OrderTimeTravel orderId={order.orderId} />
        </>
      )}
    </>
  );
}
