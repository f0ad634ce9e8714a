'use client';

import Link from 'next/link';
import { orderStatuses, type OrderStatus } from '@/common';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { OrderTable } from './order-table';
import { OrderSearchForm } from './order-search-form';
import { OrdersAsOfForm } from './orders-as-of-form';

export function OrderHistory({ status }: { status?: OrderStatus }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.orders.history.queryOptions({ status }));
  const total = Object.values(data.statusCounts).reduce((sum, n) => sum + (n ?? 0), 0);
  return (
    <>
      <ConsistencyBanner consistency={consistency} pending="Your order is being processed; this page updates by itself." />
      <h1>Your orders</h1>
      <OrderSearchForm filters={{ status }} />
      <OrdersAsOfForm />
      <nav aria-label="Filter by status">
        <ul className="filter-list status-filter">
          <li>
            <Link href="/orders" aria-current={status ? undefined : 'page'}>
              All ({total})
            </Link>
          </li>
          {orderStatuses.map((s) => (
            <li key={s}>
              <Link href={`/orders?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                {s[0]?.toUpperCase()}
                {s.slice(1)} ({data.statusCounts[s] ?? 0})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {data.orders.length === 0 ? (
        <p className="notice">
          {status ? `No ${status} orders.` : 'No orders yet.'} <Link href="/">Browse the shop</Link>
        </p>
      ) : (
        <OrderTable label="Orders" orders={data.orders} />
      )}
    </>
  );
}
