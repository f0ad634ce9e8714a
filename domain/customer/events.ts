import type { DomainEvent } from '../decider';

export const customerEventTypes = ['CustomerRegistered'] as const;

export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  { customerId: string; name: string; email: string; registeredAt: string }
>;

export type CustomerEvent = CustomerRegistered;
