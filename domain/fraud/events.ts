import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { id, instant, type EventVersions } from '../schema';

export const fraudEventTypes = ['FraudCheckCompleted'] as const;

export const fraudVerdicts = ['passed', 'rejected'] as const;
export type FraudVerdict = (typeof fraudVerdicts)[number];

const fraudCheckCompletedV1 = z.strictObject({
  orderId: id,
  customerId: id,
  verdict: z.enum(fraudVerdicts),
  score: z.number().int().min(0),
  /** In words, for staff: why the score is what it is. Empty for a clean order. */
  reasons: z.array(z.string().max(200)).max(10),
  /** When the order was placed: the customer's stream of checks is what "orders in the last hour" counts. */
  placedAt: instant,
  checkedAt: instant,
});

export type FraudCheckCompleted = DomainEvent<'FraudCheckCompleted', z.infer<typeof fraudCheckCompletedV1>>;
export type FraudEvent = FraudCheckCompleted;

/**
 * One stream per customer: scoring an order needs the customer's recent orders, and appending the verdict
 * with the version read makes two checks of one customer's orders see each other (the second is re-scored).
 */
export const fraudCheckStreamId = (customerId: string): string => `fraud-check-${customerId}`;

/** Every stored version of each fraud event (docs/event-versioning.md). */
export const fraudEventSchemas = {
  FraudCheckCompleted: [{ schema: fraudCheckCompletedV1 }],
} as const satisfies Record<FraudEvent['type'], EventVersions>;
