import type { OrderStatus } from '@/common';

export type BackOfficeOrderFilters = {
  text?: string;
  status?: OrderStatus;
  customerId?: string;
  placedFrom?: string;
  placedTo?: string;
  page: number;
};

/** The list's URL with these filters (and page), as the filter form itself would send them. */
export function ordersHref(filters: BackOfficeOrderFilters): string {
  const query = new URLSearchParams();
  if (filters.text) query.set('q', filters.text);
  if (filters.status) query.set('status', filters.status);
  if (filters.customerId) query.set('customer', filters.customerId);
  if (filters.placedFrom) query.set('from', filters.placedFrom);
  if (filters.placedTo) query.set('to', filters.placedTo);
  if (filters.page > 1) query.set('page', String(filters.page));
  const search = query.toString();
  return search ? `/back-office/orders?${search}` : '/back-office/orders';
}

/** The catalog page's URL for a category and page. */
export function catalogHref(options: { category?: string; page?: number }): string {
  const query = new URLSearchParams();
  if (options.category) query.set('category', options.category);
  if (options.page && options.page > 1) query.set('page', String(options.page));
  const search = query.toString();
  return search ? `/back-office/catalog?${search}` : '/back-office/catalog';
}

/** The order streams (the order's own and its process's, payment's and shipment's), by their prefixes. */
const orderStreamPrefix = /^(order|fulfillment|payment|shipment)-([0-9a-f-]{36})$/;

/** Where staff can read a stream's story: an order's trace for the streams of an order, else nowhere yet. */
export function streamHref(streamId: string): string | null {
  const order = orderStreamPrefix.exec(streamId);
  return order ? `/back-office/orders/${order[2]}` : null;
}

/** The dead-letters page showing the open ones, or the resolved ones. */
export function deadLettersHref(show: 'open' | 'resolved'): string {
  return show === 'open' ? '/back-office/dead-letters' : '/back-office/dead-letters?show=resolved';
}
