import { readableIssues } from '@/common/readable-issues';
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

/** Times are shown in UTC, the zone the daily-sales read model groups days by. */
export function formatDateTime(value: Date): string {
  return `${dateTime.format(value)} UTC`;
}

/**
 * A moment as the reader's clock shows it: the browser's locale and time zone unless given, with the zone's
 * short name, so a reader abroad sees which clock it is.
 */
export function formatLocalDateTime(
  value: Date,
  options: { seconds?: boolean; timeZone?: string; locale?: string } = {},
): string {
  return new Intl.DateTimeFormat(options.locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: options.seconds ? '2-digit' : undefined,
    timeZone: options.timeZone,
    timeZoneName: 'short',
  }).format(value);
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

/** A failed call as the browser receives it: tRPC's message, and the refused fields when the input was refused. */
export type CallError = { message: string; data?: { issues?: readonly { path: string; message: string }[] | null } | null };

/**
 * What a failed call says to a person. A refused input comes with its issues (the server's error formatter
 * sends them), said one sentence each instead of the raw list of zod issues tRPC puts in the message; a
 * message that is still machine data is replaced by a plain apology.
 */
export function readableError(error: CallError): string {
  const issues = error.data?.issues ?? [];
  if (issues.length > 0) return readableIssues(issues);
  if (/^\s*[[{]/.test(error.message)) return 'Something in that request was not accepted. Please try again.';
  return error.message;
}
