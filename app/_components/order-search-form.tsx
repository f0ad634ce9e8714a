import { orderStatuses, type OrderStatus } from '@/common';

export type OrderFilters = { text?: string; status?: OrderStatus; placedFrom?: string; placedTo?: string };

/** A plain GET form: the filters live in the URL, so a search can be bookmarked and shared. */
export function OrderSearchForm({ filters }: { filters: OrderFilters }) {
  return (
    <form action="/orders" className="search-form order-filters" role="search" aria-label="Orders">
      <label htmlFor="order-search-text" className="visually-hidden">
        Product name
      </label>
      <input
        id="order-search-text"
        name="q"
        type="search"
        defaultValue={filters.text}
        placeholder="Find orders by product name…"
      />
      <label htmlFor="order-search-status">Status</label>
      <select id="order-search-status" name="status" defaultValue={filters.status ?? ''}>
        <option value="">Any</option>
        {orderStatuses.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      <label htmlFor="order-search-from">From</label>
      <input id="order-search-from" name="from" type="date" defaultValue={filters.placedFrom} />
      <label htmlFor="order-search-to">To</label>
      <input id="order-search-to" name="to" type="date" defaultValue={filters.placedTo} />
      <button type="submit">Find orders</button>
    </form>
  );
}
