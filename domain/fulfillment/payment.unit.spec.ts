import { describe, it } from 'vitest';
import { given } from '../testing';
import { captured, charging, deadline, paymentRequested, paymentSettled, policy, process, statusCheckRequested, timer } from './testing';

const retry1 = timer(2, 'payment-retry', 2, policy.paymentRetryDelaysMs[0]!);
const retry2 = timer(3, 'payment-retry', 4, policy.paymentRetryDelaysMs[1]!);
const lookupPause = timer(4, 'status-check-retry', 8, policy.statusCheckRetryDelaysMs[0]!);

describe('Fulfillment payment', () => {
  describe('a capture that answers a charge the process was about to try again', () => {
    it('settles it during a retry pause, calling the retry off', () => {
      given(process, [...charging, retry1.scheduled])
        .when(captured(3))
        .then([deadline.cancelled(3), retry1.cancelled(3), paymentSettled(3), timer(3, 'handover', 3, policy.handoverDelayMs).scheduled]);
    });

    it('settles it during a pause between lookups, calling the next lookup off', () => {
      const betweenLookups = [
        ...charging,
        retry1.scheduled,
        paymentRequested(2, 3),
        retry2.scheduled,
        paymentRequested(3, 6),
        deadline.cancelled(7),
        statusCheckRequested(1, 7),
        lookupPause.scheduled,
      ];
      given(process, betweenLookups)
        .when(captured(9))
        .then([lookupPause.cancelled(9), paymentSettled(9), timer(5, 'handover', 9, policy.handoverDelayMs).scheduled]);
    });
  });
});
