import { describe, expect, it } from 'vitest';
import type { FraudCheckCompleted } from './events';
import { fraudRules, scoreOrder, type OrderToScore } from './score';

const placedAt = '2025-05-01T12:00:00.000Z';
const checkedAt = '2025-05-01T12:00:01.000Z';
const minutesBefore = (minutes: number) => new Date(Date.parse(placedAt) - minutes * 60_000).toISOString();

const order: OrderToScore = { orderId: 'o-9', customerId: 'u-1', totalCents: 2999, placedAt, cardRisk: 'normal' };

/** The customer's earlier checks: one order per moment, each `minutes` before this order was placed. */
const earlierOrders = (...minutes: number[]): FraudCheckCompleted['data'][] =>
  minutes.map((ago, index) => ({
    orderId: `o-${index + 1}`,
    customerId: 'u-1',
    verdict: 'passed',
    score: 0,
    reasons: [],
    placedAt: minutesBefore(ago),
    checkedAt: minutesBefore(ago),
  }));

describe('scoreOrder', () => {
  it('passes a clean order, with no reasons', () => {
    expect(scoreOrder(order, [], checkedAt)).toEqual({
      orderId: 'o-9',
      customerId: 'u-1',
      verdict: 'passed',
      score: 0,
      reasons: [],
      placedAt,
      checkedAt,
    });
  });

  it('weighs a large total, from the threshold up, but does not reject it alone', () => {
    expect(scoreOrder({ ...order, totalCents: 100_000 }, [], checkedAt)).toMatchObject({ verdict: 'passed', score: 60, reasons: ['a total of 1000 or more'] });
    expect(scoreOrder({ ...order, totalCents: 99_999 }, [], checkedAt)).toMatchObject({ score: 0, reasons: [] });
  });

  it("counts this order among the hour's orders: four before it make five", () => {
    expect(scoreOrder(order, earlierOrders(5, 10, 20, 50), checkedAt)).toMatchObject({ verdict: 'passed', score: 60, reasons: ['5 orders within an hour'] });
    expect(scoreOrder(order, earlierOrders(5, 10, 20), checkedAt)).toMatchObject({ score: 0 });
  });

  it('does not count orders an hour or more before this one', () => {
    expect(scoreOrder(order, earlierOrders(5, 10, 20, 60), checkedAt)).toMatchObject({ score: 0 });
    expect(scoreOrder(order, earlierOrders(5, 10, 20, 59.99), checkedAt)).toMatchObject({ score: 60 });
  });

  it('does not count an earlier check of this same order, nor orders placed after it', () => {
    const again = earlierOrders(5, 10, 20).concat({ ...earlierOrders(1)[0]!, orderId: 'o-9' });
    expect(scoreOrder(order, again, checkedAt)).toMatchObject({ score: 0 });
    expect(scoreOrder(order, earlierOrders(5, 10, 20, -1), checkedAt)).toMatchObject({ score: 0 });
  });

  it('counts another order placed at the very same moment as this one', () => {
    expect(scoreOrder(order, earlierOrders(5, 10, 20, 0), checkedAt)).toMatchObject({ score: 60, reasons: ['5 orders within an hour'] });
  });

  it('rejects a card the payment gateway flagged', () => {
    expect(scoreOrder({ ...order, cardRisk: 'elevated' }, [], checkedAt)).toMatchObject({
      verdict: 'rejected',
      score: 100,
      reasons: ['a card the payment gateway flagged as suspicious'],
    });
  });

  it('rejects from the threshold up: a large total with many orders', () => {
    expect(fraudRules.rejectAt).toBe(100);
    expect(scoreOrder({ ...order, totalCents: 150_000 }, earlierOrders(1, 2, 3, 4), checkedAt)).toMatchObject({
      verdict: 'rejected',
      score: 120,
      reasons: ['a total of 1000 or more', '5 orders within an hour'],
    });
  });

  it('gives the same verdict for the same order and history, in whatever order the history comes', () => {
    const history = earlierOrders(1, 2, 3, 4);
    const first = scoreOrder({ ...order, totalCents: 150_000 }, history, checkedAt);
    expect(scoreOrder({ ...order, totalCents: 150_000 }, history, checkedAt)).toEqual(first);
    expect(scoreOrder({ ...order, totalCents: 150_000 }, [...history].reverse(), checkedAt)).toEqual(first);
  });
});
