'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { formatCents, formatDateTime, shortId } from './format';
import { OrdersAsOfForm } from './orders-as-of-form';

const longDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/**
 * The shopper's orders as they stood at the end of a past day, each folded from its event stream up to then.
 * A plain query rather than a prefetched read model: a refused day (one in the future) says why here, where
 * a prefetched query's error would reach the browser redacted.
 */
export function OrdersAsOf({ date }: { date: string }) {
  const trpc = useTRPC();
  const { data, error } = useQuery(trpc.orders.asOf.queryOptions({ date }));
  const day = longDay.format(new Date(date));
  return (
    <>
      <h1>Your orders as of {day}</h1>
      <OrdersAsOfForm date={date} />
      <p>
        <Link href="/orders">← Your orders now</Link>
      </p>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !data ? (
        <p>Loading…</p>
      ) : data.orders.length === 0 ? (
        <p className="notice">You had no orders by the end of {day}.</p>
      ) : (
        <>
          <p className="stock">As they stood at the end of the day, {formatDateTime(data.at)}.</p>
          <div className="table-scroll">
            <table aria-label={`Orders as of ${day}`}>
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Placed</th>
                  <th>Items</th>
                  <th>Status then</th>
                  <th className="number">Total</th>
                </tr>
              </thead>
              <tbody>
                {data.orders.map((order) => (
                  <tr key={order.orderId}>
                    <td>
                      <Link href={`/orders/${order.orderId}`}>#{shortId(order.orderId)}</Link>
                    </td>
                    <td>{formatDateTime(order.placedAt)}</td>
                    <td>
                      {order.summary} ({order.itemCount} {order.itemCount === 1 ? 'item' : 'items'})
                    </td>
                    <td>
                      <span className={`status status-${order.status}`}>{order.status}</span>
                    </td>
                    <td className="number">{formatCents(order.totalCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
