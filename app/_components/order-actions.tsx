'use client';

import { useId, useState } from 'react';
import type { OrderStatus } from '@/common';
import { useCommand } from '../_consistency/use-command';
import { useTRPC } from '../_trpc/client';

/**
 * What the shopper may still do with an order: cancel it, until it ships. Everything else the fulfillment
 * process does by itself; a paid order it cancels is refunded.
 */
export function OrderActions({ orderId, status, disabled }: { orderId: string; status: OrderStatus; disabled: boolean }) {
  const trpc = useTRPC();
  const cancel = useCommand(trpc.orders.cancel.mutationOptions());
  const [reason, setReason] = useState('Changed my mind');
  const reasonId = useId();

  if (status !== 'placed' && status !== 'paid') return null;
  return (
    <section aria-label="Order actions">
      <h2>Cancel the order</h2>
      <p className="stock">
        You can cancel until the order ships. A paid order is refunded in full to the card it was paid with.
      </p>
      <div className="actions">
        <label htmlFor={reasonId}>Reason</label>
        <input id={reasonId} value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
        <button type="button" className="danger" disabled={disabled || cancel.isPending} onClick={() => cancel.send({ orderId, reason })}>
          Cancel order
        </button>
      </div>
      {cancel.error && (
        <p className="error" role="alert">
          {cancel.error.data?.issues?.[0]?.message ?? cancel.error.message}
        </p>
      )}
    </section>
  );
}
