import { describe, it } from 'vitest';
import { given } from '../testing';
import {
  betweenLookups,
  lookupPause,
  cancel,
  captured,
  charging,
  compensationStarted,
  deadline,
  declined,
  deliveryConfirmed,
  fulfillmentCancelled,
  fulfillmentCompleted,
  input,
  inTransit,
  iso,
  orderCancelled,
  orderId,
  paid,
  paymentSettled,
  policy,
  process,
  refunded,
  refundFailed,
  refundRequested,
  started,
  statusCheckRequested,
  timer,
} from './testing';

const byCustomer = 'Changed my mind';
const declinedReason = 'Payment declined: the card has insufficient funds.';

describe('Fulfillment compensation', () => {
  describe('what is left to undo', () => {
    it('undoes nothing once the parcel has left, or the order was delivered', () => {
      given(process, inTransit).when(cancel(30)).then([]);
      given(process, [...inTransit, deliveryConfirmed(920), fulfillmentCompleted(920)]).when(cancel(930)).then([]);
    });

    it('undoes an order once: a process already cancelled ignores a second cancel', () => {
      const reason = 'Our fraud check could not approve this order.';
      const cancelled = [
        ...started,
        deadline.cancelled(1),
        compensationStarted('fraud-check-rejected', reason, ['release-stock', 'cancel-order'], 1),
        fulfillmentCancelled('fraud-check-rejected', reason, 0, 1),
      ];
      given(process, cancelled).when(cancel(5)).then([]);
      // Nor does a late answer about the charge end it a second time.
      given(process, cancelled).when(declined('insufficient_funds', 6)).then([]);
    });

    it('takes a cancellation by the system as its own coming back, never as news to undo', () => {
      given(process, charging).when(orderCancelled('system', 2)).then([]);
    });

    it('says why in words even when staff gave no reason', () => {
      given(process, charging)
        .when(cancel(2, '   '))
        .then([deadline.cancelled(2), compensationStarted('cancelled-by-staff', 'The order was cancelled.', ['release-stock', 'cancel-order'], 2)]);
    });
  });

  describe('a charge whose fate is not known yet', () => {
    it('is looked up at once when the order is cancelled in the pause between lookups', () => {
      given(process, betweenLookups)
        .when(orderCancelled('customer', 9))
        .then([lookupPause.cancelled(9), compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 9), statusCheckRequested(2, 9)]);
    });

    it('needs no lookup when the answer that starts the compensation is the charge’s own', () => {
      given(process, betweenLookups)
        .when(declined('insufficient_funds', 9))
        .then([
          lookupPause.cancelled(9),
          compensationStarted('payment-declined', declinedReason, ['release-stock', 'cancel-order'], 9),
          fulfillmentCancelled('payment-declined', declinedReason, 0, 9),
        ]);
    });

    it('is refunded when it was captured after all, with the pending lookup called off', () => {
      const lookup = timer(2, 'status-check-retry', 4, policy.statusCheckRetryDelaysMs[0]!);
      const cancelledLookingUp = [
        ...charging,
        deadline.cancelled(2),
        compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 2),
        statusCheckRequested(1, 3),
        lookup.scheduled,
      ];
      given(process, cancelledLookingUp)
        .when(captured(5))
        .then([
          lookup.cancelled(5),
          paymentSettled(5),
          compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment'], 5),
          refundRequested(1, 5),
        ]);
    });
  });

  it('takes a failed refund once, and only its own', () => {
    const refundPause = timer(3, 'refund-retry', 6, policy.refundRetryDelaysMs[0]!);
    const refunding = [...paid, compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment', 'release-stock'], 5), refundRequested(1, 5)];
    given(process, refunding)
      .when(input('RefundAttemptFailed', { orderId, idempotencyKey: 'refund-o-2', attempt: 1, message: 'No answer.', failedAt: iso(6) }, 6))
      .then([]);
    given(process, [...refunding, refundPause.scheduled]).when(refundFailed(1, 7)).then([]);
  });

  it('ends when the refund arrives during the pause before a retry, calling the retry off', () => {
    const refundPause = timer(3, 'refund-retry', 6, policy.refundRetryDelaysMs[0]!);
    const refunding = [
      ...paid,
      compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment', 'release-stock'], 5),
      refundRequested(1, 5),
      refundPause.scheduled,
    ];
    given(process, refunding).when(refunded(7)).then([refundPause.cancelled(7), fulfillmentCancelled('cancelled-by-customer', byCustomer, 2999, 7)]);
  });
});
