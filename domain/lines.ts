/** Any line priced per unit; carts and orders both total their lines this way. */
export type PricedLine = { readonly unitPriceCents: number; readonly quantity: number };

export function linesTotalCents(lines: readonly PricedLine[]): number {
  return lines.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0);
}
