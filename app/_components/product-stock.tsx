/** Below this many, the storefront says how few are left, in the warning colour. */
const fewLeft = 5;

/**
 * The most the add-to-cart picker offers: a menu of more is a scroll, not a choice. It is below the most a cart
 * line holds (the cart says it: `maxLineQuantity`), and larger quantities are picked in the cart.
 */
const pickerCap = 10;

/** What a shopper is told of a product's stock: out, only a few, or how many. */
export function ProductStock({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="stock low">Out of stock</span>;
  if (stock < fewLeft) return <span className="stock low">Only {stock} left</span>;
  return <span className="stock">{stock} in stock</span>;
}

/** The quantities a picker offers: 1 up to the stock, and never more than `most`. */
export function quantityChoices(stock: number, most: number = pickerCap): number[] {
  return Array.from({ length: Math.max(0, Math.min(stock, most)) }, (_, i) => i + 1);
}
