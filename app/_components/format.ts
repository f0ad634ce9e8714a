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

/** "shippingAddress.postalCode" → "Postal code": the field's own name, as a person says it. */
function fieldLabel(path: string): string {
  const field = path.split('.').filter((segment) => !/^\d+$/.test(segment)).at(-1);
  if (!field) return 'The request';
  const words = field.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// zod's default messages ("Too big: expected number to be <=99") are for developers; each is said again as a
// phrase to follow the field's name. A message the schema wrote for people ("Please enter the city.") is
// not among them and is shown as it is.
const zodDefaults: readonly [RegExp, (...groups: string[]) => string][] = [
  [/^Invalid input: expected \w+, received undefined$/, () => 'is missing'],
  [/^Invalid input: expected int, received number$/, () => 'must be a whole number'],
  [/^Invalid input: expected (\w+), received \w+$/, (type) => `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`],
  [/^Invalid option: expected one of (.+)$/, (options) => `must be one of ${options.replaceAll('"', '').split('|').join(', ')}`],
  [/^Too big: expected string to have <=?(\d+) characters?$/, (n) => `may be at most ${n} characters long`],
  [/^Too small: expected string to have >=?1 characters?$/, () => 'may not be empty'],
  [/^Too small: expected string to have >=?(\d+) characters?$/, (n) => `must be at least ${n} characters long`],
  [/^Too big: expected \w+ to have <=?(\d+) items?$/, (n) => `may have at most ${n} items`],
  [/^Too big: expected number to be <=?(\d+)$/, (n) => `may be at most ${n}`],
  [/^Too small: expected number to be >=?(\d+)$/, (n) => `must be at least ${n}`],
  [/^Invalid (?:string|UUID|input|email address|number)\b.*$/, () => 'is not valid'],
];

function issueSentence(issue: { path: string; message: string }): string {
  for (const [pattern, phrase] of zodDefaults) {
    const match = pattern.exec(issue.message);
    if (match) return `${fieldLabel(issue.path)} ${phrase(...match.slice(1))}.`;
  }
  return /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`;
}

/**
 * What a failed call says to a person. A refused input comes with its issues (the server's error formatter
 * sends them), said one sentence each instead of the raw list of zod issues tRPC puts in the message; a
 * message that is still machine data is replaced by a plain apology.
 */
export function readableError(error: CallError): string {
  const issues = error.data?.issues ?? [];
  if (issues.length > 0) return [...new Set(issues.map(issueSentence))].join(' ');
  if (/^\s*[[{]/.test(error.message)) return 'Something in that request was not accepted. Please try again.';
  return error.message;
}
