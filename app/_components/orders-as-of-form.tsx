/** A plain GET form, like the search: the day lives in the URL, so a view of the past can be bookmarked. */
export function OrdersAsOfForm({ date }: { date?: string }) {
  return (
    <form action="/orders" className="search-form order-filters" aria-label="Orders as they were">
      <span>See your orders as they were:</span>
      <label htmlFor="orders-as-of">As of</label>
      <input id="orders-as-of" name="asOf" type="date" required defaultValue={date} />
      <button type="submit" className="secondary">
        Show
      </button>
    </form>
  );
}
