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

/** The stream browser at one stream: its first page, a page, or the page that holds a version (with its row in view). */
export function streamHref(streamId: string, at: { page?: number; version?: number } = {}): string {
  const query = new URLSearchParams({ stream: streamId });
  if (at.version) query.set('version', String(at.version));
  else if (at.page && at.page > 1) query.set('page', String(at.page));
  return `/back-office/streams?${query.toString()}${at.version ? `#v${at.version}` : ''}`;
}

/** Everything one correlation id led to; with an event id or a command's key, that line in view. */
export function traceHref(correlationId: string, at?: { eventId: string } | { commandKey: string }): string {
  const line = at && ('eventId' in at ? `#event-${at.eventId}` : `#command-${at.commandKey}`);
  return `/back-office/traces/${encodeURIComponent(correlationId)}${line ?? ''}`;
}

/** The dead-letters page showing the open ones, or the resolved ones. */
export function deadLettersHref(show: 'open' | 'resolved'): string {
  return show === 'open' ? '/back-office/dead-letters' : '/back-office/dead-letters?show=resolved';
}
