import { forEachByKey, type ExternalConsumer, type Handled } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import { paymentStreamId, type PaymentEvent, type ShopEvent } from '@/domain';
import {
  PaymentGatewayTimeoutError,
  type ChargeLookup,
  type ChargeResult,
  type PaymentGatewayClient,
} from '@/services/payment-gateway/client';

const requestTypes = ['PaymentRequested', 'PaymentStatusCheckRequested', 'RefundRequested'] as const;
type PaymentRequest = Handled<ShopEvent, (typeof requestTypes)[number]>;

/** Requests sent to the gateway side by side; one order's requests in log order. */
const concurrency = 16;

/**
 * The payment step: carries out the charges, status lookups and refunds the fulfillment process recorded,
 * against the payment gateway's HTTP API, and records each answer in `payment-<orderId>`. It reports what the
 * gateway said and nothing else: who reacts to a captured payment is not its concern.
 *
 * Never twice: the gateway is asked with the request's own idempotency key (one per order for the charge,
 * one for the refund), so asking again after a crash gets the first answer, not a second charge; and the
 * answer is appended with the key `payments:<request event id>`, so it is recorded once. The engine moves
 * the checkpoint only after the batch's answers are recorded.
 */
export function paymentStepConsumer(store: EventStore, gateway: PaymentGatewayClient): ExternalConsumer<ShopEvent, (typeof requestTypes)[number]> {
  return {
    kind: 'external',
    name: 'payment_step',
    handles: requestTypes,
    liveBatchSpacingMs: 0,
    maxBatchSize: 200,
    async applyBatch(events) {
      await forEachByKey(events, (event) => event.data.orderId, concurrency, async (request) => {
        const outcome = await ask(gateway, request, new Date());
        await store.append(paymentStreamId(request.data.orderId), [outcome], {
          expectedVersion: 'any',
          metadata: { correlationId: request.metadata.correlationId, causationId: request.eventId, actor: 'system:payments', source: 'payments' },
          idempotency: { key: `payments:${request.eventId}`, requestHash: 'payments', result: null },
        });
      });
    },
  };
}

/** Asks the gateway, and says what it answered as one payment event. A failure to answer is an answer too. */
async function ask(gateway: PaymentGatewayClient, request: PaymentRequest, now: Date): Promise<PaymentEvent> {
  const at = now.toISOString();
  const { orderId, idempotencyKey } = request.data;
  try {
    switch (request.type) {
      case 'PaymentRequested': {
        const { token, amountCents, currency } = request.data;
        return chargeOutcome(orderId, await gateway.charge({ idempotencyKey, token, amountCents, currency }), at);
      }
      case 'PaymentStatusCheckRequested':
        return chargeOutcome(orderId, await gateway.lookupCharge(idempotencyKey), at);
      case 'RefundRequested': {
        const refund = await gateway.refund({ idempotencyKey, chargeKey: request.data.chargeKey, amountCents: request.data.amountCents });
        return {
          type: 'PaymentRefunded',
          data: { orderId, idempotencyKey, refundId: refund.refundId, amountCents: refund.amountCents, refundedAt: at },
        };
      }
    }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (request.type === 'RefundRequested') {
      return { type: 'RefundAttemptFailed', data: { orderId, idempotencyKey, attempt: request.data.attempt, message, failedAt: at } };
    }
    // A refusal (4xx) is an answer about this request, not a transport failure; still, the process only
    // needs to know no money moved on it, and a lookup settles that.
    const failure = error instanceof PaymentGatewayTimeoutError ? 'timeout' : 'unavailable';
    return { type: 'PaymentAttemptFailed', data: { orderId, idempotencyKey, attempt: request.data.attempt, failure, message, failedAt: at } };
  }
}

function chargeOutcome(orderId: string, answer: ChargeResult | ChargeLookup, at: string): PaymentEvent {
  const { idempotencyKey } = answer;
  switch (answer.status) {
    case 'captured':
      return { type: 'PaymentCaptured', data: { orderId, idempotencyKey, chargeId: answer.chargeId, amountCents: answer.amountCents, capturedAt: at } };
    case 'declined':
      return { type: 'PaymentDeclined', data: { orderId, idempotencyKey, reason: answer.reason, message: answer.message.slice(0, 500), declinedAt: at } };
    case 'not_found':
      return { type: 'PaymentNotFound', data: { orderId, idempotencyKey, checkedAt: at } };
  }
}
