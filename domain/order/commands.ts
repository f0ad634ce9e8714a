import type { Command } from '../decider';
import type { Line } from '../lines';
import type { OrderCancelled, OrderPayment, ShippingAddress } from './events';

export type PlaceOrder = Command<
  'PlaceOrder',
  { orderId: string; customerId: string; cartId: string; lines: Line[]; shippingAddress: ShippingAddress; payment: OrderPayment | null }
>;

export type PayOrder = Command<'PayOrder', { orderId: string; amountCents: number; paymentReference: string }>;

export type ShipOrder = Command<'ShipOrder', { orderId: string; carrier: string; trackingNumber: string }>;

export type DeliverOrder = Command<'DeliverOrder', { orderId: string }>;

export type CancelOrder = Command<
  'CancelOrder',
  { orderId: string; reason: string; cancelledBy: OrderCancelled['data']['cancelledBy'] }
>;

export type OrderCommand = PlaceOrder | PayOrder | ShipOrder | DeliverOrder | CancelOrder;
