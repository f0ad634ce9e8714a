/**
 * A price as staff type it, in dollars ("12", "12.5", "$1,299.00"), as whole cents; or why it is not one.
 * Parsed by hand rather than through floating point, so "0.29" is 29 cents, not 28.999….
 */
export function parseDollars(text: string): { cents: number } | { error: string } {
  const cleaned = text.trim().replace(/^\$/, '').replaceAll(',', '').trim();
  if (cleaned === '') return { error: 'Please give a price.' };
  if (cleaned.startsWith('-')) return { error: 'The price must be at least $0.01.' };
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(cleaned) ?? /^()\.(\d{1,2})$/.exec(cleaned);
  if (!match) return { error: 'Please give the price in dollars and cents, like 12.50.' };
  const cents = Number(match[1] || '0') * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (cents < 1) return { error: 'The price must be at least $0.01.' };
  return { cents };
}

/** Cents as the price field shows them for editing: dollars with two decimals, no currency sign. */
export function dollarsOf(cents: number): string {
  return (cents / 100).toFixed(2);
}
