'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import type { RouterOutputs } from '../_trpc/types';
import { selectCustomer } from './customer-actions';

export function CustomerPicker({
  customers,
  selected,
}: {
  customers: RouterOutputs['customers']['list']['customers'];
  selected: string | null;
}) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  return (
    <form action={selectCustomer} className="customer-picker">
      <input type="hidden" name="returnTo" value={search ? `${pathname}?${search}` : pathname} />
      <label htmlFor="customer-picker">Shopping as</label>
      <select
        id="customer-picker"
        name="customerId"
        defaultValue={selected ?? ''}
        key={selected ?? 'none'}
        onChange={(event) => event.currentTarget.form?.requestSubmit()}
      >
        <option value="" disabled>
          Pick a demo customer…
        </option>
        {customers.map((customer) => (
          <option key={customer.customerId} value={customer.customerId}>
            {customer.name}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
