'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ConsistencyBanner } from '../_consistency/banner';
import { useCommand } from '../_consistency/use-command';
import { useLastToken } from '../_consistency/last-token';
import { isBehind, refetchWhileBehindMs, useConsistency } from '../_consistency/use-consistency';
import { useTRPC } from '../_trpc/client';
import type { RouterOutputs } from '../_trpc/types';
import { formatCents, shortId } from './format';
import { LocalTime } from './local-time';
import { QueryStates } from './query-states';

type Parked = RouterOutputs['operations']['parkedProcesses']['processes'][number];

/** As often as the consumer table beside it: a process may park at any moment. */
const refreshEveryMs = 3_000;

/**
 * The fulfillment processes that stopped and wait for staff: why, since when, and how many inputs arrived
 * meanwhile (decided once it resumes). Retry sends the stuck step again; Cancel order undoes the order, with a
 * reason the shopper is shown. A resumed process leaves the list once its read model has caught up.
 */
export function ParkedProcesses() {
  const trpc = useTRPC();
  const { token } = useLastToken();
  const { data, error } = useQuery({
    ...trpc.operations.parkedProcesses.queryOptions(),
    // Sooner while the list has not caught up with the last Retry or Cancel, so the row goes without a wait.
    refetchInterval: (query) => (isBehind(query.state.data?.checkpoint, token) ? refetchWhileBehindMs : refreshEveryMs),
  });
  const counts = useQuery({ ...trpc.operations.processCounts.queryOptions(), refetchInterval: refreshEveryMs });
  const consistency = useConsistency([data?.checkpoint]);

  return (
    <section aria-labelledby="needs-attention-heading">
      <h2 id="needs-attention-heading">Needs attention</h2>
      <ConsistencyBanner consistency={consistency} pending="Your last action is being processed; this list updates by itself." />
      {counts.data && Object.keys(counts.data.counts).length > 0 && (
        <p className="stock">
          Fulfillment processes:{' '}
          {Object.entries(counts.data.counts)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([status, count]) => `${count} ${status}`)
            .join(' · ')}
        </p>
      )}
      <QueryStates query={{ data, error }} isEmpty={(loaded) => loaded.processes.length === 0} empty="No process needs attention.">
        {(data) => (
          <ul className="parked-list" aria-labelledby="needs-attention-heading">
            {data.processes.map((process) => (
              <ParkedProcess key={process.orderId} process={process} disabled={consistency.behind} />
            ))}
          </ul>
        )}
      </QueryStates>
    </section>
  );
}

function ParkedProcess({ process, disabled }: { process: Parked; disabled: boolean }) {
  const trpc = useTRPC();
  const retry = useCommand(trpc.operations.retryFulfillment.mutationOptions());
  const cancel = useCommand(trpc.operations.cancelFulfillment.mutationOptions());
  const [reason, setReason] = useState('We could not complete your order.');
  const busy = disabled || retry.isPending || cancel.isPending;
  const error = retry.error ?? cancel.error;
  const order = `order ${shortId(process.orderId)}`;
  const reasonId = `cancel-reason-${process.orderId}`;
  return (
    <li className="parked">
      <p>
        <strong>
          <Link href={`/back-office/orders/${process.orderId}`}>Order #{shortId(process.orderId)}</Link>
        </strong>{' '}
        <span className="stock">
          {formatCents(process.totalCents)} · stopped while {process.stoppedWhile} · since <LocalTime iso={process.since} /> ·{' '}
          {process.heldInputs === 1 ? '1 held input' : `${process.heldInputs} held inputs`}
        </span>
      </p>
      <p>{process.reason}</p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => retry.send({ orderId: process.orderId })}>
          Retry<span className="visually-hidden"> {order}</span>
        </button>
      </div>
      <div className="actions">
        <label htmlFor={reasonId}>
          Reason for the shopper<span className="visually-hidden">, cancelling {order}</span>
        </label>
        <input id={reasonId} value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
        <button type="button" className="danger" disabled={busy} onClick={() => cancel.send({ orderId: process.orderId, reason })}>
          Cancel order<span className="visually-hidden"> {shortId(process.orderId)}</span>
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error.data?.issues?.[0]?.message ?? error.message}
        </p>
      )}
    </li>
  );
}
