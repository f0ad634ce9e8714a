'use client';

import { useState } from 'react';
import type { OrderStatus } from '@/common';
import { useCommand } from '../_consistency/use-command';
import { useTRPC } from '../_trpc/client';

/**
 * Moves the order along by hand. Until the fulfillment process manager arrives, the demo customer plays
 * payment gateway and warehouse too.
 */
export function OrderActions({ orderId, status, disabled }: { orderId: string; status: OrderStatus; disabled: boolean }) {
  const trpc = useTRPC();
  const pay = useCommand(trpc.orders.pay.mutationOptions());
  const ship = useCommand(trpc.orders.ship.mutationOptions());
  const deliver = useCommand(trpc.orders.deliver.mutationOptions());
  const cancel = useCommand(trpc.orders.cancel.mutationOptions());
  const [reason, setReason] = useState('Changed my mind');
  const busy = disabled || pay.isPending || ship.isPending || deliver.isPending || cancel.isPending;
  const error = pay.error ?? ship.error ?? deliver.error ?? cancel.error;

  if (status === 'delivered' || status === 'cancelled') return null;
  return (
    <section aria-label="Order actions">
      <h2>Move it along</h2>
      <p className="stock">Demo controls: the fulfillment process will take these steps by itself later.</p>
      <div className="actions">
        {status === 'placed' && (
          <button type="button" disabled={busy} onClick={() => pay.send({ orderId })}>
            Pay now
          </button>
        )}
        {status === 'paid' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => ship.send({ orderId, carrier: 'Parcel Post', trackingNumber: `PP${orderId.slice(0, 8).toUpperCase()}` })}
          >
            Ship
          </button>
        )}
        {status === 'shipped' && (
          <button type="button" disabled={busy} onClick={() => deliver.send({ orderId })}>
            Mark delivered
          </button>
        )}
        {(status === 'placed' || status === 'paid') && (
          <>
            <label htmlFor="cancel-reason">Reason</label>
            <input id="cancel-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            <button type="button" className="danger" disabled={busy} onClick={() => cancel.send({ orderId, reason })}>
              Cancel order
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
