'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../_trpc/client';
import { LocalTime } from './local-time';
import { OrderTable } from './order-table';
import { OrdersAsOfForm } from './orders-as-of-form';
import { QueryStates } from './query-states';

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
      <QueryStates query={{ data, error }} isEmpty={(loaded) => loaded.orders.length === 0} empty={<>You had no orders by the end of {day}.</>}>
        {(data) => (
          <>
            <p className="stock">
              As they stood at the end of the day (UTC), <LocalTime iso={data.at} />.
            </p>
            <OrderTable label={`Orders as of ${day}`} orders={data.orders} statusHeading="Status then" />
          </>
        )}
      </QueryStates>
    </>
  );
}
