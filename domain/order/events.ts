import type { DomainEvent } from '../decider';
import type { Line } from '../lines';

export const orderEventTypes = ['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderDelivered', 'OrderCancelled'] as const;

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  { orderId: string; customerId: string; cartId: string; lines: Line[]; totalCents: number; placedAt: string }
>;

export type OrderPaid = DomainEvent<
  'OrderPaid',
  { orderId: string; amountCents: number; paymentReference: string; paidAt: string }
>;

export type OrderShipped = DomainEvent<
  'OrderShipped',
  { orderId: string; carrier: string; trackingNumber: string; shippedAt: string }
>;

export type OrderDelivered = DomainEvent<'OrderDelivered', { orderId: string; deliveredAt: string }>;

export type OrderCancelled = DomainEvent<'OrderCancelled', { orderId: string; reason: string; cancelledAt: string }>;

export type OrderEvent = OrderPlaced | OrderPaid | OrderShipped | OrderDelivered | OrderCancelled;
