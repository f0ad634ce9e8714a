import Link from 'next/link';
import type { OrderStatus } from '@/common';
import { formatCents, shortId } from './format';
import { LocalTime } from './local-time';

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
    // On a phone each row becomes a card (stacked-table, app/(account)/account.css): no sideways scrolling.
    <div className="table-scroll">
      <table aria-label={label} className="stacked-table">
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
              <td className="stacked-title">
                <Link href={`/orders/${order.orderId}`}>#{shortId(order.orderId)}</Link>
              </td>
              <td data-label="Placed">
                <LocalTime iso={order.placedAt} />
              </td>
              <td data-label="Items">
                {order.summary} ({order.itemCount} {order.itemCount === 1 ? 'item' : 'items'})
              </td>
              <td data-label={statusHeading}>
                <span className={`status status-${order.status}`}>{order.status}</span>
              </td>
              <td className="number" data-label="Total">
                {formatCents(order.totalCents)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
