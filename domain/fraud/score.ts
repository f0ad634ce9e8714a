import type { FraudCheckCompleted, FraudVerdict } from './events';

/** What the fraud check knows of an order when it is placed. */
export type OrderToScore = {
  readonly orderId: string;
  readonly customerId: string;
  readonly totalCents: number;
  readonly placedAt: string;
  /** The payment gateway's view of the card at tokenisation; `elevated` for a card it flags. */
  readonly cardRisk: 'normal' | 'elevated';
};

/**
 * The rules, as data, so the order page, staff and the tests speak of the same thresholds. A score of
 * `rejectAt` or more rejects the order; each rule adds its points once.
 */
export const fraudRules = {
  largeTotalCents: 100_000,
  largeTotalPoints: 60,
  ordersPerHour: 5,
  manyOrdersPoints: 60,
  flaggedCardPoints: 100,
  rejectAt: 100,
} as const;

const hourMs = 60 * 60 * 1000;

/**
 * Scores one order against the customer's earlier checks: a large total, many orders from one customer within
 * the hour before this one, and a card the gateway flagged. Pure: the same order and history give the same
 * verdict, so a check repeated after a crash decides exactly as the first did.
 */
export function scoreOrder(
  order: OrderToScore,
  earlier: readonly FraudCheckCompleted['data'][],
  checkedAt: string,
): FraudCheckCompleted['data'] {
  const placed = Date.parse(order.placedAt);
  const reasons: string[] = [];
  let score = 0;
  if (order.totalCents >= fraudRules.largeTotalCents) {
    score += fraudRules.largeTotalPoints;
    reasons.push(`a total of ${fraudRules.largeTotalCents / 100} or more`);
  }
  const inLastHour = earlier.filter((check) => {
    const at = Date.parse(check.placedAt);
    return check.orderId !== order.orderId && at <= placed && placed - at < hourMs;
  }).length;
  // This order makes one more: the rule counts the hour's orders including it.
  if (inLastHour + 1 >= fraudRules.ordersPerHour) {
    score += fraudRules.manyOrdersPoints;
    reasons.push(`${inLastHour + 1} orders within an hour`);
  }
  if (order.cardRisk === 'elevated') {
    score += fraudRules.flaggedCardPoints;
    reasons.push('a card the payment gateway flagged as suspicious');
  }
  const verdict: FraudVerdict = score >= fraudRules.rejectAt ? 'rejected' : 'passed';
  return { orderId: order.orderId, customerId: order.customerId, verdict, score, reasons, placedAt: order.placedAt, checkedAt };
}
