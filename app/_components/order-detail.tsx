'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { cardBrandName } from '@/common';
import { useEffect, useRef } from 'react';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { formatAddress, formatCents, shortId } from './format';
import { LocalTime } from './local-time';
import { OrderActions } from './order-actions';
import { OrderProgress } from './order-progress';
import { OrderTimeTravel } from './order-time-travel';

type Order = NonNullable<RouterOutputs['orders']['detail']['order']>;

/** Event types as a shopper reads them on the timeline. */
const timelineLabels: Record<string, string> = {
  OrderPlaced: 'Order placed',
  OrderPaid: 'Payment received',
  OrderShipped: 'Shipped',
  OrderDelivered: 'Delivered',
  OrderCancelled: 'Cancelled',
};

/**
 * Who took a step, as the shopper reads it: they did, or the shop did (staff, the fulfillment process, the
 * payment step). The log's actor ids and correlation ids are for staff: the back office's trace shows them.
 */
function whoDid(actor: string): string {
  return actor.startsWith('customer:') ? 'by you' : 'by the shop';
}

/** While the order moves on by itself, the page asks again this often, so it follows the order unasked. */
const followEveryMs = 1_500;

/**
 * Whether something is still to happen to the order: the fulfillment process moves an order paid by card on by
 * itself, and refunds one it cancelled after the money was taken. An order from before cards has no process.
 */
function stillMoving(order: Order): boolean {
  if (!order.cardLast4) return false;
  if (order.status === 'cancelled') return order.paidAt !== null && order.refundedCents === 0;
  return order.status !== 'delivered';
}

export function OrderDetail({ orderId, justPlaced }: { orderId: string; justPlaced: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data, consistency } = useReadModel(trpc.orders.detail.queryOptions({ orderId }));
  const { order } = data;
  const live = order !== null && stillMoving(order);
  // useReadModel polls only while the page is behind the shopper's own last command; this second observer of
  // the same query keeps it polling while the process moves the order on, which no command of theirs did.
  useQuery({ ...trpc.orders.detail.queryOptions({ orderId }), refetchInterval: live ? followEveryMs : false });

  // The History control reads the order's stream; a new event on the order's timeline means it has a new step.
  const timelineLength = order?.timeline.length ?? 0;
  const seenTimeline = useRef(timelineLength);
  useEffect(() => {
    if (seenTimeline.current === timelineLength) return;
    seenTimeline.current = timelineLength;
    void queryClient.invalidateQueries({ queryKey: trpc.orders.timeline.queryKey({ orderId }) });
  }, [timelineLength, orderId, queryClient, trpc]);

  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="Your order is being processed; this page updates by itself." />
      {/* Thanks for an order that stands: not once it has been cancelled (a declined card, the shopper's own change of mind). */}
      {justPlaced && order?.status !== 'cancelled' && (
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
            : data.placed
            ? 'The order details will appear here in a moment.'
            : 'There is no such order among yours.'}
        </p>
      ) : (
        <>
          <section aria-label="Order summary" className="order-summary">
            <p>
              Status: <span className={`status status-${order.status}`}>{order.status}</span> · placed{' '}
              <LocalTime iso={order.placedAt} />
              {order.trackingNumber && ` · ${order.carrier} ${order.trackingNumber}`}
              {order.cancellationReason && ` · reason: ${order.cancellationReason}`}
            </p>
            {order.cardLast4 && (
              <p>
                {order.paidAt ? 'Paid with' : 'Card:'} {cardBrandName(order.cardBrand)} •••• {order.cardLast4}
                {order.refundedCents > 0 && ` · Refunded ${formatCents(order.refundedCents)}`}
              </p>
            )}
            <p>
              Ships to:{' '}
              {order.shippingAddress
                ? formatAddress(order.shippingAddress)
                : 'not recorded (the order was placed before the shop asked for an address)'}
            </p>
          </section>
          <OrderProgress steps={order.progress} live={live} />
          <div className="table-scroll">
            <table aria-label="Order lines" className="stacked-table">
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
                    <td className="stacked-title">{line.name}</td>
                    <td className="number" data-label="Price">
                      {formatCents(line.unitPriceCents)}
                    </td>
                    <td className="number" data-label="Quantity">
                      {line.quantity}
                    </td>
                    <td className="number" data-label="Subtotal">
                      {formatCents(line.unitPriceCents * line.quantity)}
                    </td>
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
          </div>
          <OrderActions orderId={order.orderId} status={order.status} disabled={consistency.behind} />
          <h2>Timeline</h2>
          <ol className="timeline" aria-label="Timeline">
            {order.timeline.map((entry) => (
              <li key={entry.streamVersion}>
                <strong>{timelineLabels[entry.eventType] ?? 'Updated'}</strong>{' '}
                <span className="meta">
                  <LocalTime iso={entry.recordedAt} /> · {whoDid(entry.actor)}
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
