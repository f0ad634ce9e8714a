import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { cents, id, instant, type EventVersions } from '../schema';

/**
 * What the payment gateway answered, as the shop's payment step recorded it in the stream `payment-<orderId>`.
 * The step only reports: it does not know who reacts (the fulfillment process, the mail, sales), which is the
 * point of publishing the outcome as an event. Card data never reaches the log: only the gateway's token.
 */
export const paymentEventTypes = [
  'PaymentCaptured',
  'PaymentDeclined',
  'PaymentAttemptFailed',
  'PaymentNotFound',
  'PaymentRefunded',
  'RefundAttemptFailed',
] as const;

export const declineReasons = ['insufficient_funds', 'card_expired', 'card_declined'] as const;
export type DeclineReason = (typeof declineReasons)[number];

/** Why a request got no answer: none in time (it may still have been charged), or none at all. */
export const attemptFailures = ['timeout', 'unavailable'] as const;
export type AttemptFailure = (typeof attemptFailures)[number];

const key = z.string().min(1).max(200);

const paymentCapturedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  chargeId: z.string().min(1).max(200),
  amountCents: cents,
  capturedAt: instant,
});
const paymentDeclinedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  reason: z.enum(declineReasons),
  message: z.string().max(500),
  declinedAt: instant,
});
const paymentAttemptFailedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  attempt: z.number().int().min(1),
  failure: z.enum(attemptFailures),
  message: z.string().max(500),
  failedAt: instant,
});
/** A status lookup found no charge under the key: the gateway never took the money. */
const paymentNotFoundV1 = z.strictObject({ orderId: id, idempotencyKey: key, checkedAt: instant });
const paymentRefundedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  refundId: z.string().min(1).max(200),
  amountCents: cents,
  refundedAt: instant,
});
const refundAttemptFailedV1 = z.strictObject({
  orderId: id,
  idempotencyKey: key,
  attempt: z.number().int().min(1),
  message: z.string().max(500),
  failedAt: instant,
});

export type PaymentCaptured = DomainEvent<'PaymentCaptured', z.infer<typeof paymentCapturedV1>>;
export type PaymentDeclined = DomainEvent<'PaymentDeclined', z.infer<typeof paymentDeclinedV1>>;
export type PaymentAttemptFailed = DomainEvent<'PaymentAttemptFailed', z.infer<typeof paymentAttemptFailedV1>>;
export type PaymentNotFound = DomainEvent<'PaymentNotFound', z.infer<typeof paymentNotFoundV1>>;
export type PaymentRefunded = DomainEvent<'PaymentRefunded', z.infer<typeof paymentRefundedV1>>;
export type RefundAttemptFailed = DomainEvent<'RefundAttemptFailed', z.infer<typeof refundAttemptFailedV1>>;
export type PaymentEvent =
  | PaymentCaptured
  | PaymentDeclined
  | PaymentAttemptFailed
  | PaymentNotFound
  | PaymentRefunded
  | RefundAttemptFailed;

export const paymentStreamId = (orderId: string): string => `payment-${orderId}`;

/** Every stored version of each payment event (docs/event-versioning.md). */
export const paymentEventSchemas = {
  PaymentCaptured: [{ schema: paymentCapturedV1 }],
  PaymentDeclined: [{ schema: paymentDeclinedV1 }],
  PaymentAttemptFailed: [{ schema: paymentAttemptFailedV1 }],
  PaymentNotFound: [{ schema: paymentNotFoundV1 }],
  PaymentRefunded: [{ schema: paymentRefundedV1 }],
  RefundAttemptFailed: [{ schema: refundAttemptFailedV1 }],
} as const satisfies Record<PaymentEvent['type'], EventVersions>;

/** The shopper's words for a decline. */
export const declineMessages: Record<DeclineReason, string> = {
  insufficient_funds: 'the card has insufficient funds',
  card_expired: 'the card has expired',
  card_declined: 'the card was declined',
};
