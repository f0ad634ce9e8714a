import { z } from 'zod';

/**
 * The gateway's HTTP contract: the shapes of every request body and answer. The server parses requests with the
 * request schemas; the client parses answers with the answer schemas, so both sides agree by construction and a
 * malformed answer is caught at the edge instead of deep in the shop.
 */

/**
 * Visible ASCII, so a key is safe in a header (which would trim spaces), a URL path and a text column (no NUL, no
 * broken Unicode, which PostgreSQL cannot store). "." and ".." are refused because a URL path cannot carry them as a
 * segment. 200 characters leave room for "order-<uuid>-attempt-<n>" style keys.
 */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'The Idempotency-Key must not be empty.')
  .max(200, 'The Idempotency-Key may be at most 200 characters.')
  .regex(/^[\x21-\x7e]+$/, 'The Idempotency-Key may contain visible ASCII characters only (no spaces).')
  .refine((key) => key !== '.' && key !== '..', 'The Idempotency-Key may not be "." or "..".');

export const tokenSchema = z.string().regex(/^tok_[A-Za-z0-9_-]{24}$/, 'Not a card token.');

/** $1,000,000.00: far above any order, and every sum of amounts stays exact in a JavaScript number. */
export const maxAmountCents = 100_000_000;

const amountCentsSchema = z
  .number()
  .int('amountCents must be a whole number of cents.')
  .positive('amountCents must be positive.')
  .max(maxAmountCents, `amountCents may be at most ${maxAmountCents}.`);

/** Lengths are capped here only so a hostile body is refused early; the card rules live in cards.ts. */
export const tokenizeRequestSchema = z.strictObject({
  number: z.string().max(64),
  expiry: z.string().max(16),
  cvc: z.string().max(16),
});

export const chargeRequestSchema = z.strictObject({
  token: tokenSchema,
  amountCents: amountCentsSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be three upper-case letters, such as USD.'),
});

export const refundRequestSchema = z.strictObject({
  chargeKey: idempotencyKeySchema,
  amountCents: amountCentsSchema,
});

export type TokenizeRequest = z.infer<typeof tokenizeRequestSchema>;
export type ChargeRequest = z.infer<typeof chargeRequestSchema>;
export type RefundRequest = z.infer<typeof refundRequestSchema>;

export const riskLevels = ['normal', 'elevated'] as const;
export type RiskLevel = (typeof riskLevels)[number];

export const tokenizeAnswerSchema = z.object({
  token: tokenSchema,
  last4: z.string().regex(/^[0-9]{4}$/),
  brand: z.string(),
  riskLevel: z.enum(riskLevels),
});

export const declineReasons = ['insufficient_funds', 'card_expired'] as const;
export type DeclineReason = (typeof declineReasons)[number];

export const declineMessages: Record<DeclineReason, string> = {
  insufficient_funds: 'The card has insufficient funds.',
  card_expired: 'The card has expired.',
};

const capturedChargeSchema = z.object({
  status: z.literal('captured'),
  chargeId: z.string(),
  idempotencyKey: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
  capturedAt: z.iso.datetime(),
});

const declinedChargeSchema = z.object({
  status: z.literal('declined'),
  idempotencyKey: z.string(),
  reason: z.enum(declineReasons),
  message: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
});

/** A charge's answer. It never changes once given, so a repeat with the same key returns exactly this. */
export const chargeAnswerSchema = z.discriminatedUnion('status', [capturedChargeSchema, declinedChargeSchema]);

/** A charge as it stands now: its answer and what has been refunded since. */
export const storedChargeSchema = z.discriminatedUnion('status', [
  capturedChargeSchema.extend({ refundedCents: z.number().int() }),
  declinedChargeSchema.extend({ refundedCents: z.literal(0) }),
]);

export const refundAnswerSchema = z.object({
  refundId: z.string(),
  idempotencyKey: z.string(),
  chargeKey: z.string(),
  amountCents: z.number().int(),
  refundedAt: z.iso.datetime(),
});

export const ledgerAnswerSchema = z.object({
  /** Captured charges. */
  charges: z.number().int(),
  capturedCents: z.number().int(),
  refundedCents: z.number().int(),
  declines: z.number().int(),
});

export const errorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export type TokenizeAnswer = z.infer<typeof tokenizeAnswerSchema>;
export type ChargeAnswer = z.infer<typeof chargeAnswerSchema>;
export type StoredCharge = z.infer<typeof storedChargeSchema>;
export type RefundAnswer = z.infer<typeof refundAnswerSchema>;
export type LedgerAnswer = z.infer<typeof ledgerAnswerSchema>;
