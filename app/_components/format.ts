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

const regionName = new Intl.DisplayNames(['en'], { type: 'region' });

/** An address on one line, as a shipping label reads: name, street, postal code and city, country. */
export function formatAddress(address: {
  name: string;
  line1: string;
  line2?: string;
  postalCode: string;
  city: string;
  country: string;
}): string {
  return [address.name, address.line1, address.line2, `${address.postalCode} ${address.city}`, regionName.of(address.country)]
    .filter(Boolean)
    .join(', ');
}
