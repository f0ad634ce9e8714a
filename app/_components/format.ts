const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Times are shown in UTC, the zone the daily-sales read model groups days by. */
export function formatDateTime(value: Date): string {
  return `${dateTime.format(value)} UTC`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
