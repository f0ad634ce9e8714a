import Link from 'next/link';
import type { OrderStatus } from '@/common';
import { formatCents, formatDateTime, shortId } from './format';

export type OrderRow = {
  orderId: string;
  placedAt: Date;
  summary: string;
  itemCount: number;
  status: OrderStatus;
  totalCents: number;
};

/** A customer's orders as a table: the history now, or as it stood on a past day (`statusHeading`). */
export function OrderTable({
  label,
  orders,
  statusHeading = 'Status',
}: {
  label: string;
  orders: readonly OrderRow[];
  statusHeading?: string;
}) {
  return (
    // On a narrow screen the table scrolls inside its own box rather than widening the page.
    <div className="table-scroll">
      <table aria-label={label}>
        <thead>
          <tr>
            <th>Order</th>
            <th>Placed</th>
            <th>Items</th>
            <th>{statusHeading}</th>
            <th className="number">Total</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
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
  );
}
