import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { id, instant, type EventVersions } from '../schema';

export const customerEventTypes = ['CustomerRegistered'] as const;

const customerRegisteredV1 = z.strictObject({ customerId: id, name: z.string(), email: z.string(), registeredAt: instant });

export type CustomerRegistered = DomainEvent<'CustomerRegistered', z.infer<typeof customerRegisteredV1>>;

export type CustomerEvent = CustomerRegistered;

/** Every stored version of each customer event (docs/event-versioning.md). */
export const customerEventSchemas = {
  CustomerRegistered: [{ schema: customerRegisteredV1 }],
} as const satisfies Record<CustomerEvent['type'], EventVersions>;
