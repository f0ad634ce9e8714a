'use client';

import Link from 'next/link';
import { cardBrandName } from '@/common';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { ordersHref, traceHref } from './back-office-links';
import { formatAddress, formatCents, shortId } from './format';
import { LocalTime } from './local-time';
import { TraceTimeline } from './trace-timeline';


/**
 * An order as staff investigate it: what the read models say (the order, the fulfillment process, the
 * shopper's progress steps) and what the log says: every event of the order's streams and every event sharing
 * a correlation id with them, with where it sits and what caused it. Refreshes like any read model.
 */
export function BackOfficeTrace({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.backOffice.orders.trace.queryOptions({ orderId }));
  const { order, customer, process } = data;
  const correlations = [...new Set(data.events.map((event) => event.correlationId))];
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="The order's read models are catching up with your last action; this page updates by itself." />
      <p>
        <Link href="/back-office/orders">← All orders</Link>
      </p>
      <h1>
        Order {shortId(orderId)} {order && <span className={`status status-${order.status}`}>{order.status}</span>}
      </h1>
      <dl className="back-office-facts" aria-label="Order">
        <div>
          <dt>Order number</dt>
          <dd className="id">{orderId}</dd>
        </div>
        <div>
          <dt>Customer</dt>
          <dd>
            <Link href={ordersHref({ customerId: data.customerId, page: 1 })}>{customer ? customer.name : shortId(data.customerId)}</Link>
            {customer && <> · {customer.email}</>}
          </dd>
        </div>
        {order ? (
          <>
            <div>
              <dt>Total</dt>
              <dd>
                {formatCents(order.totalCents)} {order.currency !== 'USD' && order.currency}
                {order.refundedCents > 0 && ` · refunded ${formatCents(order.refundedCents)}`}
              </dd>
            </div>
            <div>
              <dt>Placed</dt>
              <dd>
                <LocalTime iso={order.placedAt} seconds />
              </dd>
            </div>
            {order.paidAt && (
              <div>
                <dt>Paid</dt>
                <dd>
                  <LocalTime iso={order.paidAt} seconds />
                  {order.cardLast4 && ` · ${cardBrandName(order.cardBrand)} •••• ${order.cardLast4}`}
                  {order.paymentReference && (
                    <>
                      {' '}
                      · <span className="id">{order.paymentReference}</span>
                    </>
                  )}
                </dd>
              </div>
            )}
            {order.shippedAt && (
              <div>
                <dt>Shipped</dt>
                <dd>
                  <LocalTime iso={order.shippedAt} seconds /> · {order.carrier} <span className="id">{order.trackingNumber}</span>
                </dd>
              </div>
            )}
            {order.deliveredAt && (
              <div>
                <dt>Delivered</dt>
                <dd>
                  <LocalTime iso={order.deliveredAt} seconds />
                </dd>
              </div>
            )}
            {order.cancelledAt && (
              <div>
                <dt>Cancelled</dt>
                <dd>
                  <LocalTime iso={order.cancelledAt} seconds /> · {order.cancellationReason}
                </dd>
              </div>
            )}
            <div>
              <dt>Ships to</dt>
              <dd>{order.shippingAddress ? formatAddress(order.shippingAddress) : 'not recorded'}</dd>
            </div>
            <div>
              <dt>Lines</dt>
              <dd>{order.lines.map((line) => `${line.quantity} × ${line.name} (${formatCents(line.unitPriceCents)})`).join(', ')}</dd>
            </div>
          </>
        ) : (
          <div>
            <dt>Read model</dt>
            <dd>The order details have not caught up with the log yet; the events below are the log itself.</dd>
          </div>
        )}
      </dl>

      <h2>Fulfillment process</h2>
      {process ? (
        <dl className="back-office-facts" aria-label="Fulfillment process">
          <div>
            <dt>Status</dt>
            <dd>
              {process.parkedSince ? <strong className="error">parked</strong> : process.status}
              {process.parkedSince && ` (stopped while ${process.status})`}
            </dd>
          </div>
          {process.parkedSince && (
            <div>
              <dt>Needs attention since</dt>
              <dd>
                <LocalTime iso={process.parkedSince} seconds /> · {process.parkedReason} ·{' '}
                {process.heldInputs === 1 ? '1 held input' : `${process.heldInputs} held inputs`} ·{' '}
                <Link href="/back-office/processes">Retry or cancel</Link>
              </dd>
            </div>
          )}
          <div>
            <dt>Started</dt>
            <dd>
              <LocalTime iso={process.startedAt} seconds />
            </dd>
          </div>
          <div>
            <dt>Last step</dt>
            <dd>
              <LocalTime iso={process.updatedAt} seconds />
            </dd>
          </div>
        </dl>
      ) : (
        <p className="stock">No fulfillment process in the read model (an order from before cards, or one it has not reached yet).</p>
      )}

      <h2>Steps the shopper sees</h2>
      {data.progress.length === 0 ? (
        <p className="stock">None yet.</p>
      ) : (
        <ol className="timeline progress" aria-label="Steps the shopper sees">
          {data.progress.map((step) => (
            <li key={step.globalPosition}>
              <strong>{step.message}</strong>{' '}
              <span className="meta">
                <LocalTime iso={step.at} seconds /> · <code>{step.step}</code> · #{step.globalPosition}
              </span>
            </li>
          ))}
        </ol>
      )}

      <h2>Timeline</h2>
      <p className="stock">
        {data.events.length} events in {new Set(data.events.map((event) => event.streamId)).size} streams, under{' '}
        {correlations.length === 1 ? '1 correlation id' : `${correlations.length} correlation ids`}:{' '}
        {correlations.map((id, index) => (
          <span key={id}>
            {index > 0 && ', '}
            <Link href={traceHref(id)} title={id}>
              {shortId(id)}
            </Link>
          </span>
        ))}
        . Read from the log itself, in log order: each command, the events it appended, and the integration
        events and mail they led to. Streams open in the stream browser; a causation in this trace links to it.
      </p>
      <TraceTimeline timeline={data.timeline} />
    </>
  );
}
