'use client';

import Link from 'next/link';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { formatCents } from './format';

const longDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const dayName = (day: string) => longDay.format(new Date(`${day}T00:00:00.000Z`));

/**
 * Sales over a range of days (UTC, the days the read model counts in): totals, revenue per day, and each
 * product's share. The range is a plain GET form, so a report can be bookmarked.
 */
export function DailySales({ range }: { range: { from?: string; to?: string } }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.sales.report.queryOptions(range));
  const revenue = data.days.reduce((sum, day) => sum + day.revenueCents, 0);
  const orders = data.days.reduce((sum, day) => sum + day.orderCount, 0);
  const units = data.products.reduce((sum, product) => sum + product.quantity, 0);
  const points = data.days.map((day) => ({ day: day.day.slice(5), revenue: day.revenueCents / 100, orders: day.orderCount }));
  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <h1>Sales</h1>
      <form action="/back-office/sales" className="back-office-filters" aria-label="Sales range">
        <label>
          From
          <input name="from" type="date" defaultValue={data.from} required />
        </label>
        <label>
          to
          <input name="to" type="date" defaultValue={data.to} required />
        </label>
        <button type="submit">Show</button>
        <Link href="/back-office/sales">Last 30 days</Link>
      </form>
      <div className="summary">
        <div>
          Revenue, {dayName(data.from)} – {dayName(data.to)} <strong>{formatCents(revenue)}</strong>
        </div>
        <div>
          Orders <strong>{orders.toLocaleString('en-US')}</strong>
        </div>
        <div>
          Units sold <strong>{units.toLocaleString('en-US')}</strong>
        </div>
        <div>
          Average order <strong>{orders > 0 ? formatCents(Math.round(revenue / orders)) : '–'}</strong>
        </div>
      </div>
      <figure className="chart" aria-label="Revenue per day">
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={points}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" />
            <YAxis tickFormatter={(value: number) => `$${value}`} />
            <Tooltip formatter={(value) => [`$${Number(value).toFixed(2)}`, 'Revenue']} />
            <Bar dataKey="revenue" fill="#3b5bdb" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="stock">Revenue of orders placed per day (UTC); cancelled orders are taken out.</figcaption>
      </figure>
      <h2>By product</h2>
      {data.products.length === 0 ? (
        <p className="notice">Nothing sold in these days.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Sales per product">
            <thead>
              <tr>
                <th>Product</th>
                <th className="number">Units</th>
                <th className="number">Orders</th>
                <th className="number">Revenue</th>
                <th className="number">Share</th>
              </tr>
            </thead>
            <tbody>
              {data.products.map((product) => (
                <tr key={product.productId}>
                  <td>
                    <Link href={`/products/${product.productId}`}>{product.name}</Link>
                  </td>
                  <td className="number">{product.quantity}</td>
                  <td className="number">{product.orderCount}</td>
                  <td className="number">{formatCents(product.revenueCents)}</td>
                  <td className="number">{revenue > 0 ? `${((100 * product.revenueCents) / revenue).toFixed(1)}%` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>By day</h2>
      <div className="table-scroll">
        <table aria-label="Sales per day">
          <thead>
            <tr>
              <th>Day (UTC)</th>
              <th className="number">Orders</th>
              <th className="number">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {data.days
              .filter((day) => day.orderCount > 0)
              .reverse()
              .map((day) => (
                <tr key={day.day}>
                  <td>{dayName(day.day)}</td>
                  <td className="number">{day.orderCount}</td>
                  <td className="number">{formatCents(day.revenueCents)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
