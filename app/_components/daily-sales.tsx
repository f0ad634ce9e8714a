'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ConsistencyBanner } from '../_consistency/banner';
import { useReadModel } from '../_consistency/use-read-model';
import { useTRPC } from '../_trpc/client';
import { formatCents } from './format';

export function DailySales({ days }: { days: number }) {
  const trpc = useTRPC();
  const { data, consistency } = useReadModel(trpc.sales.daily.queryOptions({ days }));
  const revenue = data.days.reduce((sum, day) => sum + day.revenueCents, 0);
  const orders = data.days.reduce((sum, day) => sum + day.orderCount, 0);
  const points = data.days.map((day) => ({ day: day.day.slice(5), revenue: day.revenueCents / 100, orders: day.orderCount }));
  return (
    <>
      <ConsistencyBanner consistency={consistency} />
      <h1>Daily sales</h1>
      <div className="summary">
        <div>
          Revenue, last {days} days <strong>{formatCents(revenue)}</strong>
        </div>
        <div>
          Orders <strong>{orders}</strong>
        </div>
      </div>
      <figure className="chart" aria-label="Revenue per day">
        <ResponsiveContainer width="100%" height={320}>
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
      <table aria-label="Sales per day">
        <thead>
          <tr>
            <th>Day</th>
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
                <td>{day.day}</td>
                <td className="number">{day.orderCount}</td>
                <td className="number">{formatCents(day.revenueCents)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </>
  );
}
