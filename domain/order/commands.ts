import type { Command } from '../decider';
import type { OrderLine } from './events';

export type PlaceOrder = Command<
  'PlaceOrder',
  { orderId: string; customerId: string; cartId: string; lines: OrderLine[] }
>;

export type PayOrder = Command<'PayOrder', { orderId: string; amountCents: number; paymentReference: string }>;

export type ShipOrder = Command<'ShipOrder', { orderId: string; carrier: string; trackingNumber: string }>;

export type DeliverOrder = Command<'DeliverOrder', { orderId: string }>;

export type CancelOrder = Command<'CancelOrder', { orderId: string; reason: string }>;

export type OrderCommand = PlaceOrder | PayOrder | ShipOrder | DeliverOrder | CancelOrder;
