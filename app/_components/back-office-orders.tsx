'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { orderStatuses } from '@/common';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { ordersHref, type BackOfficeOrderFilters } from './back-office-links';
import { formatCents, shortId } from './format';
import { LocalTime } from './local-time';

/** Every customer's orders: filters in the URL (a plain GET form), a dense table, pages of 50. */
export function BackOfficeOrders({ filters }: { filters: BackOfficeOrderFilters }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.backOffice.orders.search.queryOptions(filters));
  const customers = useQuery(trpc.backOffice.orders.customers.queryOptions());
  const nameOf = new Map((customers.data?.customers ?? []).map((customer) => [customer.customerId, customer.name]));
  const filtered = Boolean(filters.text || filters.status || filters.customerId || filters.placedFrom || filters.placedTo);
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="The order list is catching up with your last action; it updates by itself." />
      <h1>Orders</h1>
      <form action="/back-office/orders" className="back-office-filters" role="search" aria-label="Orders">
        <label>
          Product or order number
          <input name="q" type="search" defaultValue={filters.text} placeholder="e.g. walnut, or 3f2a…" maxLength={200} />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">Any</option>
            {orderStatuses.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer
          <select name="customer" defaultValue={filters.customerId ?? ''}>
            <option value="">Anyone</option>
            {(customers.data?.customers ?? []).map((customer) => (
              <option key={customer.customerId} value={customer.customerId}>
                {customer.name} ({customer.email})
              </option>
            ))}
          </select>
        </label>
        <label>
          Placed from
          <input name="from" type="date" defaultValue={filters.placedFrom} />
        </label>
        <label>
          to
          <input name="to" type="date" defaultValue={filters.placedTo} />
        </label>
        <button type="submit">Search</button>
        {filtered && <Link href="/back-office/orders">Clear filters</Link>}
      </form>
      {!data.available ? (
        <p className="notice" role="status">
          Order search is not answering (its read model is catching up or its cluster is down). It will be back by
          itself; the consumer status is on the <Link href="/back-office/status">Status</Link> page.
        </p>
      ) : data.orders.length === 0 ? (
        <p className="notice">{filtered ? 'No orders match these filters.' : 'No orders yet.'}</p>
      ) : (
        <>
          <p className="stock" aria-live="polite">
            {data.total.toLocaleString('en-US')} {data.total === 1 ? 'order' : 'orders'}
            {data.pageCount > 1 && ` · page ${data.page} of ${data.pageCount}`} · newest first · days in UTC
          </p>
          <div className="table-scroll">
            <table aria-label="Orders">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Placed</th>
                  <th>Customer</th>
                  <th>Products</th>
                  <th className="number">Items</th>
                  <th>Status</th>
                  <th className="number">Total</th>
                </tr>
              </thead>
              <tbody>
                {data.orders.map((order) => (
                  <tr key={order.orderId}>
                    <td>
                      <Link href={`/back-office/orders/${order.orderId}`} className="id">
                        {shortId(order.orderId)}
                      </Link>
                    </td>
                    <td>
                      <LocalTime iso={order.placedAt} />
                    </td>
                    <td>
                      <Link href={ordersHref({ ...filters, customerId: order.customerId, page: 1 })} title="Only this customer's orders">
                        {nameOf.get(order.customerId) ?? shortId(order.customerId)}
                      </Link>
                    </td>
                    <td>{order.productNames.join(', ')}</td>
                    <td className="number">{order.itemCount}</td>
                    <td>
                      <span className={`status status-${order.status}`}>{order.status}</span>
                    </td>
                    <td className="number">{formatCents(order.totalCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager filters={filters} pageCount={data.pageCount} />
        </>
      )}
    </>
  );
}

function Pager({ filters, pageCount }: { filters: BackOfficeOrderFilters; pageCount: number }) {
  if (pageCount <= 1) return null;
  const { page } = filters;
  return (
    <nav className="pager" aria-label="Pages">
      {page > 1 ? <Link href={ordersHref({ ...filters, page: page - 1 })}>← Newer</Link> : <span className="pager-end">← Newer</span>}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link href={ordersHref({ ...filters, page: page + 1 })}>Older →</Link> : <span className="pager-end">Older →</span>}
    </nav>
  );
}

