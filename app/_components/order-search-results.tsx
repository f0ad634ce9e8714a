'use client';

import Link from 'next/link';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { formatCents, shortId } from './format';
import { LocalTime } from './local-time';
import { OrderSearchForm, type OrderFilters } from './order-search-form';

export function OrderSearchResults({ filters }: { filters: OrderFilters }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.orders.search.queryOptions(filters));
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="Order search is catching up with your last action; results update by themselves." />
      <h1>Find your orders</h1>
      <OrderSearchForm filters={filters} />
      <p>
        <Link href="/orders">← All orders</Link>
      </p>
      {!data.available ? (
        <p className="notice" role="status">
          Order search is catching up and will be back in a moment. Your full order history is always on the{' '}
          <Link href="/orders">orders page</Link>.
        </p>
      ) : data.orders.length === 0 ? (
        <p className="notice">
          No orders match. Try another product name, a wider date range, or <Link href="/orders">see all orders</Link>.
        </p>
      ) : (
        <table aria-label="Matching orders" className="stacked-table">
          <thead>
            <tr>
              <th>Order</th>
              <th>Placed</th>
              <th>Products</th>
              <th>Status</th>
              <th className="number">Total</th>
            </tr>
          </thead>
          <tbody>
            {data.orders.map((order) => (
              <tr key={order.orderId}>
                <td className="stacked-title">
                  <Link href={`/orders/${order.orderId}`}>#{shortId(order.orderId)}</Link>
                </td>
                <td data-label="Placed">
                  <LocalTime iso={order.placedAt} />
                </td>
                <td data-label="Products">{order.productNames.join(', ')}</td>
                <td data-label="Status">
                  <span className={`status status-${order.status}`}>{order.status}</span>
                </td>
                <td className="number" data-label="Total">
                  {formatCents(order.totalCents)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
