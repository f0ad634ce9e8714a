import type { Command } from '../decider';

export type RegisterCustomer = Command<'RegisterCustomer', { customerId: string; name: string; email: string }>;

export type CustomerCommand = RegisterCustomer;
