import { describe, it } from 'vitest';
import { given } from '../testing';
import { attemptFailed, betweenLookups, lookupPause, retry1, captured, charging, compensationStarted, deadline, declined, fulfillmentCancelled, input, iso, notFound, orderId, paid, paymentSettled, policy, process, started, statusCheckRequested, timer } from './testing';

// Answers about a charge under another key: another order's, or a client's bug. Never this order's.
const otherKey = 'charge-o-2';
const declinedUnderOtherKey = (second: number) =>
  input('PaymentDeclined', { orderId, idempotencyKey: otherKey, reason: 'insufficient_funds', message: 'Declined.', declinedAt: iso(second) }, second);
const attemptFailedUnderOtherKey = (second: number) =>
  input('PaymentAttemptFailed', { orderId, idempotencyKey: otherKey, attempt: 1, failure: 'timeout', message: 'No answer.', failedAt: iso(second) }, second);
const notFoundUnderOtherKey = (second: number) => input('PaymentNotFound', { orderId, idempotencyKey: otherKey, checkedAt: iso(second) }, second);

describe('Fulfillment payment', () => {
  it("takes only its own charge's answers: a decline, a failure or a lookup under another key changes nothing", () => {
    given(process, charging).when(declinedUnderOtherKey(2)).then([]);
    given(process, charging).when(attemptFailedUnderOtherKey(2)).then([]);
    const checking = [...charging, deadline.cancelled(2), statusCheckRequested(1, 2)];
    given(process, checking).when(notFoundUnderOtherKey(3)).then([]);
  });

  it('ignores a decline before it asked for any charge', () => {
    // Still waiting for the fraud verdict: nothing was charged, so there is nothing a decline could answer.
    given(process, started).when(declined('insufficient_funds', 1)).then([]);
  });

  it('ignores a charge it was told of as not found before it looked it up', () => {
    given(process, charging).when(notFound(2)).then([]);
  });

  it('ignores a late report that the charge got no answer, once the payment is in', () => {
    given(process, paid).when(attemptFailed(1, 3)).then([]);
  });

  it('ignores late news of a charge once the process has ended', () => {
    const cancelled = [
      ...charging,
      deadline.cancelled(2),
      compensationStarted('cancelled-by-customer', 'Changed my mind', ['release-stock'], 2),
      fulfillmentCancelled('cancelled-by-customer', 'Changed my mind', 0, 3),
    ];
    given(process, cancelled).when(attemptFailed(1, 4)).then([]);
  });

  it('answers a failed lookup once: a second report of it during the pause changes nothing', () => {
    given(process, betweenLookups).when(attemptFailed(1, 9)).then([]);
  });

  describe('a capture that answers a charge the process was about to try again', () => {
    it('settles it during a retry pause, calling the retry off', () => {
      given(process, [...charging, retry1.scheduled])
        .when(captured(3))
        .then([deadline.cancelled(3), retry1.cancelled(3), paymentSettled(3), timer(3, 'handover', 3, policy.handoverDelayMs).scheduled]);
    });

    it('settles it during a pause between lookups, calling the next lookup off', () => {
      given(process, betweenLookups)
        .when(captured(9))
        .then([lookupPause.cancelled(9), paymentSettled(9), timer(5, 'handover', 9, policy.handoverDelayMs).scheduled]);
    });
  });
});
