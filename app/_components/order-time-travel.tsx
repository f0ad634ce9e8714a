'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import type { ReactNode } from 'react';
import { formatAddress, formatCents } from './format';
import { LocalTime } from './local-time';

type Step = RouterOutputs['orders']['timeline']['steps'][number];
type Change = Step['changes'][number];

const stepLabels: Record<Step['type'], string> = {
  OrderPlaced: 'Order placed',
  OrderPaid: 'Payment received',
  OrderShipped: 'Shipped',
  OrderDelivered: 'Delivered',
  OrderCancelled: 'Cancelled',
};

const fieldLabels: Record<Change['field'], string> = {
  status: 'Status',
  lines: 'Items',
  totalCents: 'Total',
  currency: 'Currency',
  shippingAddress: 'Ships to',
  placedAt: 'Placed',
  paidAt: 'Paid',
  paymentReference: 'Payment reference',
  shippedAt: 'Shipped',
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  deliveredAt: 'Delivered',
  cancelledAt: 'Cancelled',
  cancellationReason: 'Reason for cancelling',
  cancelledBy: 'Cancelled by',
};

const instant = (iso: string) => <LocalTime iso={iso} />;

function orDash<T>(value: T | null, format: (value: T) => ReactNode): ReactNode {
  return value === null ? '—' : format(value);
}

/** One side of a change, written as the rest of the page writes that field. */
function shown(change: Change, side: 'before' | 'after'): ReactNode {
  switch (change.field) {
    case 'lines':
      return orDash(change[side], (lines) => lines.map((line) => `${line.quantity} × ${line.name}`).join(', '));
    case 'totalCents':
      return orDash(change[side], formatCents);
    case 'shippingAddress':
      return orDash(change[side], formatAddress);
    case 'placedAt':
    case 'paidAt':
    case 'shippedAt':
    case 'deliveredAt':
    case 'cancelledAt':
      return orDash(change[side], instant);
    default:
      return change[side] ?? '—';
  }
}

/**
 * The order page's time machine: every step of the order, read from its event stream, and the order as it
 * was after the one picked. The latest is shown until the shopper picks another, so a step that arrives
 * (after "Pay now") is shown at once.
 */
export function OrderTimeTravel({ orderId }: { orderId: string }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.orders.timeline.queryOptions({ orderId }));
  const [picked, setPicked] = useState<number | null>(null);
  const headingId = useId();
  const steps = data?.steps ?? [];
  const step = steps.find((candidate) => candidate.version === picked) ?? steps.at(-1);
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>History</h2>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !step ? (
        <p>Loading…</p>
      ) : (
        <>
          <fieldset>
            <legend>See this order as it was after…</legend>
            {steps.map((candidate) => (
              <div key={candidate.version}>
                <label>
                  <input
                    type="radio"
                    name={`${headingId}-step`}
                    checked={candidate.version === step.version}
                    onChange={() => setPicked(candidate.version)}
                  />{' '}
                  {stepLabels[candidate.type]} · <LocalTime iso={candidate.recordedAt} />
                </label>
              </div>
            ))}
          </fieldset>
          <OrderThen step={step} />
        </>
      )}
    </section>
  );
}

function OrderThen({ step }: { step: Step }) {
  const { order } = step;
  const thenId = useId();
  const changesId = useId();
  return (
    <>
      <section aria-labelledby={thenId}>
        <h3 id={thenId}>The order then</h3>
        <p>
          Status: <span className={`status status-${order.status}`}>{order.status}</span> · total{' '}
          {formatCents(order.totalCents)}
        </p>
        <p>Ships to: {order.shippingAddress ? formatAddress(order.shippingAddress) : 'not recorded'}</p>
        {order.paidAt && (
          <p>
            Paid {instant(order.paidAt)} · payment reference {order.paymentReference}
          </p>
        )}
        {order.shippedAt && (
          <p>
            Shipped {instant(order.shippedAt)} with {order.carrier} · tracking number {order.trackingNumber}
          </p>
        )}
        {order.deliveredAt && <p>Delivered {instant(order.deliveredAt)}</p>}
        {order.cancelledAt && (
          <p>
            Cancelled {instant(order.cancelledAt)} by {order.cancelledBy}: {order.cancellationReason}
          </p>
        )}
      </section>
      <h3 id={changesId}>What this step changed</h3>
      <ul aria-labelledby={changesId}>
        {step.changes.map((change) => (
          <li key={change.field}>
            {fieldLabels[change.field]}: {shown(change, 'before')} → {shown(change, 'after')}
          </li>
        ))}
      </ul>
    </>
  );
}
