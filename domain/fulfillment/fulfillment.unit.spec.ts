import { describe, expect, it } from 'vitest';
import { declineReasons } from '../payment/events';
import { given } from '../testing';
import { fulfillmentProcess, fulfillmentStreamId, inputOrderId, reactedEventTypes, type FulfillmentEvent } from './index';
import {
  attemptFailed,
  cancel,
  captured,
  carrier,
  charging,
  compensationStarted,
  deadline,
  declined,
  deliveryConfirmed,
  dispatched,
  fraudChecked,
  fulfillmentCancelled,
  fulfillmentCompleted,
  fulfillmentDelayed,
  handedOver,
  handover,
  held,
  inTransit,
  itemsMissing,
  notFound,
  orderCancelled,
  orderPlaced,
  overdue,
  paid,
  parked,
  parkInput,
  paymentRequested,
  paymentSettled,
  policy,
  process,
  refunded,
  refundFailed,
  refundRequested,
  resumed,
  retry,
  shipmentCancellationRequested,
  shipmentCancelled,
  shipmentConfirmed,
  shipmentRequested,
  started,
  statusCheckRequested,
  timer,
} from './testing';

// A charge that gets no answer: two retries, then status lookups, then staff.
const retry1 = timer(2, 'payment-retry', 2, policy.paymentRetryDelaysMs[0]!);
const retry2 = timer(3, 'payment-retry', 4, policy.paymentRetryDelaysMs[1]!);
const check1 = timer(4, 'status-check-retry', 8, policy.statusCheckRetryDelaysMs[0]!);
const check2 = timer(5, 'status-check-retry', 12, policy.statusCheckRetryDelaysMs[1]!);
const failedOnce = [...charging, retry1.scheduled];
const secondAttempt = [...failedOnce, paymentRequested(2, 3)];
const failedTwice = [...secondAttempt, retry2.scheduled];
const thirdAttempt = [...failedTwice, paymentRequested(3, 6)];
const checking = [...thirdAttempt, deadline.cancelled(7), statusCheckRequested(1, 7)];
const secondCheck = [...checking, check1.scheduled, statusCheckRequested(2, 11)];
const thirdCheck = [...secondCheck, check2.scheduled, statusCheckRequested(3, 16)];
const unreachable = 'The payment service could not be reached to confirm the payment (The gateway did not answer in time.).';
const parkedOnLookups = [...thirdCheck, parked(unreachable, 17), held(attemptFailed(3, 17), 17)];

const unconfirmed = 'The payment service did not confirm the payment in time, so nothing was charged.';
const byCustomer = 'Changed my mind';
const byStaff = 'Customer asked by phone';

describe('Fulfillment', () => {
  it('names its stream, and finds the order of every input', () => {
    expect(fulfillmentStreamId('o-1')).toBe('fulfillment-o-1');
    expect(inputOrderId(deadline.fires(600))).toBe('o-1');
    expect(inputOrderId(retry(1))).toBe('o-1');
    expect(reactedEventTypes).toContain('TimerElapsed');
  });

  describe('starting', () => {
    it('starts with an order paid by card, and sets the payment deadline', () => {
      given(process).when(orderPlaced(0)).then(started);
    });

    it('leaves an order from before checkout took cards alone', () => {
      given(process).when(orderPlaced(0, null)).then([]);
    });

    it('starts once', () => {
      given(process, started).when(orderPlaced(1)).then([]);
    });

    it('ignores an input about an order it never started', () => {
      given(process).when(fraudChecked('passed', 1)).then([]);
      given(process).when(captured(2)).then([]);
    });

    it('ignores an input about another order', () => {
      given(process, started).when(fraudChecked('passed', 1, 'o-2')).then([]);
      given(process, started).when(orderPlaced(1, undefined, 'o-2')).then([]);
    });
  });

  describe('the fraud check', () => {
    it('charges the card once the order passed', () => {
      given(process, started).when(fraudChecked('passed', 1)).then([paymentRequested(1, 1)]);
    });

    it('undoes a rejected order: stock back, order cancelled, nothing charged', () => {
      const reason = 'Our fraud check could not approve this order.';
      given(process, started)
        .when(fraudChecked('rejected', 1))
        .then([
          deadline.cancelled(1),
          compensationStarted('fraud-check-rejected', reason, ['release-stock', 'cancel-order'], 1),
          fulfillmentCancelled('fraud-check-rejected', reason, 0, 1),
        ]);
    });

    it('decides on the first verdict only', () => {
      given(process, charging).when(fraudChecked('rejected', 2)).then([]);
    });
  });

  describe('the payment', () => {
    it('settles a captured payment and waits out the handover window', () => {
      given(process, charging).when(captured(2)).then([deadline.cancelled(2), paymentSettled(2), handover.scheduled]);
    });

    it('hands over to the warehouse at once without a handover window', () => {
      const warehouseOverdue = timer(2, 'warehouse-overdue', 2, policy.warehouseOverdueMs);
      given(fulfillmentProcess({ ...policy, handoverDelayMs: 0 }), charging)
        .when(captured(2))
        .then([deadline.cancelled(2), paymentSettled(2), shipmentRequested(2), warehouseOverdue.scheduled]);
    });

    it('ignores a capture under another key, and a second capture', () => {
      given(process, charging).when(captured(2, undefined, 'charge-o-2')).then([]);
      given(process, paid).when(captured(3)).then([]);
    });

    it('parks a capture of another amount than the order total, for staff', () => {
      given(process, charging)
        .when(captured(2, 1000))
        .then([parked('The payment service captured 10.00, not the order total of 29.99: check the charge, then retry or cancel.', 2), held(captured(2, 1000), 2)]);
    });

    it.each([
      ['insufficient_funds', 'Payment declined: the card has insufficient funds.'],
      ['card_expired', 'Payment declined: the card has expired.'],
      ['card_declined', 'Payment declined: the card was declined.'],
    ] as const)('undoes the order when the card is declined (%s), in its own words', (reason, words) => {
      given(process, charging)
        .when(declined(reason, 2))
        .then([
          deadline.cancelled(2),
          compensationStarted('payment-declined', words, ['release-stock', 'cancel-order'], 2),
          fulfillmentCancelled('payment-declined', words, 0, 2),
        ]);
    });

    it('has words for every decline reason', () => {
      expect(declineReasons).toEqual(['insufficient_funds', 'card_expired', 'card_declined']);
    });

    it('retries a charge that got no answer after a pause, with the same key', () => {
      given(process, charging).when(attemptFailed(1, 2)).then([retry1.scheduled]);
      given(process, failedOnce).when(retry1.fires(3)).then([paymentRequested(2, 3)]);
      given(process, secondAttempt).when(attemptFailed(2, 4)).then([retry2.scheduled]);
      given(process, failedTwice).when(retry2.fires(6)).then([paymentRequested(3, 6)]);
    });

    it('looks the charge up after the last attempt, instead of charging again', () => {
      given(process, thirdAttempt).when(attemptFailed(3, 7)).then([deadline.cancelled(7), statusCheckRequested(1, 7)]);
    });

    it('ignores a failure it already answered, or of an earlier attempt', () => {
      given(process, failedOnce).when(attemptFailed(1, 3)).then([]);
      given(process, secondAttempt).when(attemptFailed(1, 4)).then([]);
    });

    it('settles a charge the lookup found captured', () => {
      const late = timer(4, 'handover', 8, policy.handoverDelayMs);
      given(process, checking).when(captured(8)).then([paymentSettled(8), late.scheduled]);
    });

    it('undoes the order when the lookup finds the charge declined', () => {
      const words = 'Payment declined: the card has expired.';
      given(process, checking)
        .when(declined('card_expired', 8))
        .then([
          compensationStarted('payment-declined', words, ['release-stock', 'cancel-order'], 8),
          fulfillmentCancelled('payment-declined', words, 0, 8),
        ]);
    });

    it('undoes the order when the lookup finds no charge', () => {
      given(process, checking)
        .when(notFound(8))
        .then([
          compensationStarted('payment-unconfirmed', unconfirmed, ['release-stock', 'cancel-order'], 8),
          fulfillmentCancelled('payment-unconfirmed', unconfirmed, 0, 8),
        ]);
    });

    it('repeats a lookup that got no answer after a pause, then parks for staff', () => {
      given(process, checking).when(attemptFailed(1, 8)).then([check1.scheduled]);
      given(process, [...checking, check1.scheduled]).when(check1.fires(11)).then([statusCheckRequested(2, 11)]);
      given(process, secondCheck).when(attemptFailed(2, 12)).then([check2.scheduled]);
      given(process, [...secondCheck, check2.scheduled]).when(check2.fires(16)).then([statusCheckRequested(3, 16)]);
      given(process, thirdCheck).when(attemptFailed(3, 17)).then([parked(unreachable, 17), held(attemptFailed(3, 17), 17)]);
    });

    it('keeps a parking reason within what its event may hold', () => {
      const [event] = process.decide(attemptFailed(3, 17, 'x'.repeat(500)), fold(thirdCheck));
      expect(event).toMatchObject({ type: 'FulfillmentParked' });
      expect((event as Extract<FulfillmentEvent, { type: 'FulfillmentParked' }>).data.reason.length).toBeLessThanOrEqual(500);
    });

    it('looks the charge up when the deadline passes while charging', () => {
      given(process, charging).when(deadline.fires(600)).then([statusCheckRequested(1, 600)]);
    });

    it('looks the charge up when the deadline passes during a retry pause, and retries no more', () => {
      given(process, failedOnce).when(deadline.fires(600)).then([retry1.cancelled(600), statusCheckRequested(1, 600)]);
    });

    it('undoes an order still unchecked at the deadline', () => {
      const reason = 'The payment could not be taken in time, so nothing was charged.';
      given(process, started)
        .when(deadline.fires(600))
        .then([
          compensationStarted('payment-unconfirmed', reason, ['release-stock', 'cancel-order'], 600),
          fulfillmentCancelled('payment-unconfirmed', reason, 0, 600),
        ]);
    });
  });

  describe('timers', () => {
    it('ignores a timer it cancelled, firing late', () => {
      given(process, paid).when(deadline.fires(600)).then([]);
      given(process, [...paid, handover.cancelled(5)]).when(handover.fires(9)).then([]);
    });

    it('ignores a timer that was replaced by a later one of the same name', () => {
      given(process, failedTwice).when(retry1.fires(5)).then([]);
    });

    it('ignores a timer it does not know', () => {
      given(process, charging).when(timer(2, 'reminder', 1, 1000).fires(2)).then([]);
    });

    it('does not cancel a timer that already fired', () => {
      // The payment-retry timers fired and led to the retries: settling cancels only the deadline.
      given(process, thirdAttempt).when(captured(7)).then([deadline.cancelled(7), paymentSettled(7), timer(4, 'handover', 7, policy.handoverDelayMs).scheduled]);
    });
  });

  describe('the warehouse', () => {
    it('hands a paid order to the warehouse after the handover window', () => {
      given(process, paid).when(handover.fires(9)).then([shipmentRequested(9), overdue.scheduled]);
    });

    it('confirms a dispatched parcel and waits for the carrier', () => {
      given(process, handedOver).when(dispatched(20)).then([overdue.cancelled(20), shipmentConfirmed(20), carrier.scheduled]);
    });

    it('completes when the carrier has delivered', () => {
      given(process, inTransit).when(carrier.fires(920)).then([deliveryConfirmed(920), fulfillmentCompleted(920)]);
      given(process, [...inTransit, deliveryConfirmed(920), fulfillmentCompleted(920)]).when(carrier.fires(921)).then([]);
    });

    it('ignores a second dispatch', () => {
      given(process, inTransit).when(dispatched(21)).then([]);
    });

    it('alerts staff when the warehouse is overdue, since the handover, and keeps waiting', () => {
      given(process, handedOver).when(overdue.fires(850)).then([fulfillmentDelayed(9, 850)]);
      const carrierLate = timer(4, 'carrier-delivery', 900, policy.carrierDeliveryMs);
      given(process, [...handedOver, fulfillmentDelayed(9, 850)]).when(dispatched(900)).then([shipmentConfirmed(900), carrierLate.scheduled]);
    });

    it('refunds, releases the stock and cancels the order when items are missing', () => {
      const reason = 'Sorry: Green Tea could not be found in the warehouse.';
      given(process, handedOver)
        .when(itemsMissing(30))
        .then([
          overdue.cancelled(30),
          compensationStarted('items-missing', reason, ['refund-payment', 'release-stock', 'cancel-order'], 30),
          refundRequested(1, 30),
        ]);
      given(process, [...handedOver, overdue.cancelled(30), compensationStarted('items-missing', reason, ['refund-payment', 'release-stock', 'cancel-order'], 30), refundRequested(1, 30)])
        .when(refunded(31))
        .then([fulfillmentCancelled('items-missing', reason, 2999, 31)]);
    });
  });

  describe('a cancellation by the customer', () => {
    it('before the fraud verdict: stock back, nothing to refund', () => {
      given(process, started)
        .when(orderCancelled('customer', 1))
        .then([
          deadline.cancelled(1),
          compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 1),
          fulfillmentCancelled('cancelled-by-customer', byCustomer, 0, 1),
        ]);
      const cancelled = [...started, deadline.cancelled(1), compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 1), fulfillmentCancelled('cancelled-by-customer', byCustomer, 0, 1)];
      given(process, cancelled).when(fraudChecked('passed', 2)).then([]);
    });

    describe('while the charge is in flight', () => {
      const cancelledCharging = [...charging, deadline.cancelled(2), compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 2)];

      it('releases the stock and waits for the charge', () => {
        given(process, charging).when(orderCancelled('customer', 2)).then(cancelledCharging.slice(charging.length));
      });

      it('ends when the charge was declined', () => {
        given(process, cancelledCharging).when(declined('insufficient_funds', 3)).then([fulfillmentCancelled('cancelled-by-customer', byCustomer, 0, 3)]);
      });

      it('refunds a charge captured after all, and ends once refunded', () => {
        const refunding = [paymentSettled(3), compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment'], 3), refundRequested(1, 3)];
        given(process, cancelledCharging).when(captured(3)).then(refunding);
        given(process, [...cancelledCharging, ...refunding]).when(refunded(4)).then([fulfillmentCancelled('cancelled-by-customer', byCustomer, 2999, 4)]);
      });

      it('looks up a charge that got no answer, with pauses, until it knows', () => {
        const lookup = timer(2, 'status-check-retry', 4, policy.statusCheckRetryDelaysMs[0]!);
        given(process, cancelledCharging).when(attemptFailed(1, 3)).then([statusCheckRequested(1, 3)]);
        const looking = [...cancelledCharging, statusCheckRequested(1, 3)];
        given(process, looking).when(attemptFailed(1, 4)).then([lookup.scheduled]);
        given(process, [...looking, lookup.scheduled]).when(lookup.fires(7)).then([statusCheckRequested(2, 7)]);
        given(process, looking).when(notFound(4)).then([fulfillmentCancelled('cancelled-by-customer', byCustomer, 0, 4)]);
      });

      it('refunds a capture that arrives after the order was closed', () => {
        const closed = [...cancelledCharging, fulfillmentCancelled('cancelled-by-customer', byCustomer, 0, 3)];
        given(process, closed)
          .when(captured(4))
          .then([paymentSettled(4), compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment'], 4), refundRequested(1, 4)]);
      });
    });

    it('during a retry pause: looks the charge up at once instead of retrying', () => {
      given(process, failedOnce)
        .when(orderCancelled('customer', 3))
        .then([deadline.cancelled(3), retry1.cancelled(3), compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 3), statusCheckRequested(1, 3)]);
    });

    it('once paid: refunds and releases the stock', () => {
      given(process, paid)
        .when(orderCancelled('customer', 5))
        .then([handover.cancelled(5), compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment', 'release-stock'], 5), refundRequested(1, 5)]);
    });

    describe('once handed to the warehouse', () => {
      const steps = ['cancel-shipment', 'refund-payment', 'release-stock'] as const;
      const cancelledHandedOver = [
        ...handedOver,
        overdue.cancelled(10),
        compensationStarted('cancelled-by-customer', byCustomer, [...steps], 10),
        shipmentCancellationRequested(10),
        refundRequested(1, 10),
      ];

      it('stops the shipment, refunds and releases the stock', () => {
        given(process, handedOver).when(orderCancelled('customer', 10)).then(cancelledHandedOver.slice(handedOver.length));
      });

      it('ends once refunded; the stopped shipment needs nothing more', () => {
        given(process, cancelledHandedOver).when(shipmentCancelled(11)).then([]);
        given(process, cancelledHandedOver).when(refunded(12)).then([fulfillmentCancelled('cancelled-by-customer', byCustomer, 2999, 12)]);
      });

      it('parks a parcel the warehouse dispatched anyway, for staff to recall', () => {
        const reason = 'The warehouse dispatched the parcel after the order was cancelled: recall it, then retry.';
        given(process, cancelledHandedOver).when(dispatched(11)).then([parked(reason, 11)]);
        given(process, [...cancelledHandedOver, parked(reason, 11)]).when(retry(20)).then([resumed('retry', 20)]);
      });
    });

    it('parks a cancellation that reached the order before the dispatch reached the process: the parcel is on its way', () => {
      const reason = 'The order was cancelled after the parcel left: recall it or arrange a return, then retry.';
      given(process, inTransit).when(orderCancelled('customer', 30)).then([parked(reason, 30)]);
      given(process, [...inTransit, parked(reason, 30)]).when(retry(40)).then([resumed('retry', 40)]);
    });
  });

  describe("the process's own cancellation, coming back", () => {
    it('is ignored', () => {
      const reason = 'Our fraud check could not approve this order.';
      const rejected = [...started, deadline.cancelled(1), compensationStarted('fraud-check-rejected', reason, ['release-stock', 'cancel-order'], 1), fulfillmentCancelled('fraud-check-rejected', reason, 0, 1)];
      given(process, rejected).when(orderCancelled('system', 2, reason)).then([]);
      const byStaffHistory = [...charging, deadline.cancelled(2), compensationStarted('cancelled-by-staff', byStaff, ['release-stock', 'cancel-order'], 2)];
      given(process, byStaffHistory).when(orderCancelled('staff', 2, byStaff)).then([]);
    });

    it('is told apart from staff cancelling the order themselves, which is undone like a customer cancellation', () => {
      given(process, paid)
        .when(orderCancelled('staff', 5, 'Out of stock'))
        .then([handover.cancelled(5), compensationStarted('cancelled-by-staff', 'Out of stock', ['refund-payment', 'release-stock'], 5), refundRequested(1, 5)]);
    });
  });

  describe('refunds', () => {
    const refundRetry1 = timer(3, 'refund-retry', 6, policy.refundRetryDelaysMs[0]!);
    const refundRetry2 = timer(4, 'refund-retry', 12, policy.refundRetryDelaysMs[1]!);
    const refunding = [...paid, handover.cancelled(5), compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment', 'release-stock'], 5), refundRequested(1, 5)];
    const secondRefund = [...refunding, refundRetry1.scheduled, refundRequested(2, 11)];
    const thirdRefund = [...secondRefund, refundRetry2.scheduled, refundRequested(3, 18)];
    const notRefunded = 'The refund could not be made (The gateway is unavailable.).';

    it('retries a failed refund after a pause, with the same key, then parks for staff', () => {
      given(process, refunding).when(refundFailed(1, 6)).then([refundRetry1.scheduled]);
      given(process, [...refunding, refundRetry1.scheduled]).when(refundRetry1.fires(11)).then([refundRequested(2, 11)]);
      given(process, secondRefund).when(refundFailed(2, 12)).then([refundRetry2.scheduled]);
      given(process, [...secondRefund, refundRetry2.scheduled]).when(refundRetry2.fires(18)).then([refundRequested(3, 18)]);
      given(process, thirdRefund).when(refundFailed(3, 19)).then([parked(notRefunded, 19), held(refundFailed(3, 19), 19)]);
    });

    it('asks again when staff retry a parked refund', () => {
      given(process, [...thirdRefund, parked(notRefunded, 19), held(refundFailed(3, 19), 19)]).when(retry(30)).then([resumed('retry', 30), refundRequested(4, 30)]);
    });

    it('ignores the failure of an earlier attempt, and a refund under another key', () => {
      given(process, secondRefund).when(refundFailed(1, 12)).then([]);
      given(process, refunding).when(refunded(6, 'refund-o-2')).then([]);
    });

    it('ends once, however often the refund is reported', () => {
      const done = [...refunding, fulfillmentCancelled('cancelled-by-customer', byCustomer, 2999, 6)];
      given(process, done).when(refunded(7)).then([]);
      given(process, done).when(refundFailed(1, 7)).then([]);
    });
  });

  describe('parking', () => {
    it('holds every input while parked, in order', () => {
      given(process, parkedOnLookups).when(orderCancelled('customer', 20)).then([held(orderCancelled('customer', 20), 20)]);
      given(process, [...parkedOnLookups, held(orderCancelled('customer', 20), 20)]).when(captured(21)).then([held(captured(21), 21)]);
    });

    it('resumes on Retry: asks again for what failed, and decides what arrived meanwhile', () => {
      given(process, parkedOnLookups).when(retry(30)).then([resumed('retry', 30), statusCheckRequested(4, 30)]);
      given(process, [...parkedOnLookups, held(orderCancelled('customer', 20), 20)])
        .when(retry(30))
        .then([resumed('retry', 30), compensationStarted('cancelled-by-customer', byCustomer, ['release-stock'], 30), statusCheckRequested(4, 30)]);
    });

    it('parks again when the retried step fails again: one attempt per Retry', () => {
      const retried = [...parkedOnLookups, resumed('retry', 30), statusCheckRequested(4, 30)];
      given(process, retried).when(attemptFailed(4, 31)).then([parked(unreachable, 31), held(attemptFailed(4, 31), 31)]);
      given(process, retried).when(captured(31)).then([paymentSettled(31), timer(6, 'handover', 31, policy.handoverDelayMs).scheduled]);
    });

    it('replays the held inputs in the order they arrived', () => {
      const runtimePark = 'Could not handle TimerElapsed: boom';
      const history = [...handedOver, parked(runtimePark, 809), held(overdue.fires(809), 809), held(dispatched(810), 810)];
      given(process, history)
        .when(retry(830))
        .then([resumed('retry', 830), fulfillmentDelayed(9, 830), shipmentConfirmed(830), timer(4, 'carrier-delivery', 830, policy.carrierDeliveryMs).scheduled]);
    });

    it('decides a held cancellation first: a cancelled order is not handed over because its timer came first', () => {
      const runtimePark = 'Could not handle TimerElapsed: boom';
      const history = [...paid, parked(runtimePark, 9), held(handover.fires(9), 9), held(orderCancelled('customer', 10), 10)];
      given(process, history)
        .when(retry(30))
        .then([resumed('retry', 30), compensationStarted('cancelled-by-customer', byCustomer, ['refund-payment', 'release-stock'], 30), refundRequested(1, 30)]);
    });

    it('ignores Retry when not parked', () => {
      given(process, charging).when(retry(2)).then([]);
    });

    it('undoes the order on a staff Cancel, and still learns what became of the charge', () => {
      const steps = ['release-stock', 'cancel-order'] as const;
      given(process, parkedOnLookups)
        .when(cancel(30))
        .then([resumed('cancel', 30), compensationStarted('cancelled-by-staff', byStaff, [...steps], 30), statusCheckRequested(4, 30)]);
      given(process, [...parkedOnLookups, resumed('cancel', 30), compensationStarted('cancelled-by-staff', byStaff, [...steps], 30), statusCheckRequested(4, 30)])
        .when(notFound(31))
        .then([fulfillmentCancelled('cancelled-by-staff', byStaff, 0, 31)]);
    });

    it('undoes the order on a staff Cancel of a process that is not parked', () => {
      given(process, charging)
        .when(cancel(2))
        .then([deadline.cancelled(2), compensationStarted('cancelled-by-staff', byStaff, ['release-stock', 'cancel-order'], 2)]);
    });

    it('parks with the input the runtime could not handle, and holds it', () => {
      const runtimePark = 'Could not handle TimerElapsed: boom';
      given(process, charging).when(parkInput(2, captured(2))).then([parked(runtimePark, 2), held(captured(2), 2)]);
      given(process, parkedOnLookups).when(parkInput(20, captured(20))).then([held(captured(20), 20)]);
      given(process, [...charging, parked(runtimePark, 2), held(captured(2), 2)])
        .when(retry(30))
        .then([resumed('retry', 30), deadline.cancelled(30), paymentSettled(30), timer(2, 'handover', 30, policy.handoverDelayMs).scheduled]);
    });
  });
});

function fold(events: readonly FulfillmentEvent[]) {
  return events.reduce(process.evolve, process.initialState());
}
