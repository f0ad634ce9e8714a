import type { ShipmentDispatched, ShipmentItemsMissing } from '../shipment/events';
import { compensate } from './compensation';
import { park, type Decision } from './decision';

/** The paid order goes to the warehouse; staff hear of it if the warehouse takes too long. */
export function handOver(d: Decision): void {
  const { orderId, lines, shippingAddress } = d.state;
  d.emit({ type: 'ShipmentRequested', data: { orderId, lines: [...lines], shippingAddress, requestedAt: d.at } });
  d.schedule('warehouse-overdue', d.policy.warehouseOverdueMs);
}

export function handoverDue(d: Decision): void {
  // Stryker disable next-line ConditionalExpression: the handover timer is live only while paid (a compensation calls it off); the check says what a handover needs.
  if (d.state.status === 'paid') handOver(d);
}

export function shipmentDispatched(d: Decision, dispatch: ShipmentDispatched['data']): void {
  const { state } = d;
  if (state.compensation) {
    // Not held: deciding it again would only park again. Staff recall the parcel, then resume.
    park(d, 'The warehouse dispatched the parcel after the order was cancelled: recall it, then retry.');
    return;
  }
  if (state.status !== 'awaiting-shipment') return;
  d.cancelTimer('warehouse-overdue');
  d.emit({ type: 'ShipmentConfirmed', data: { orderId: state.orderId, carrier: dispatch.carrier, trackingNumber: dispatch.trackingNumber, confirmedAt: d.at } });
  d.schedule('carrier-delivery', d.policy.carrierDeliveryMs);
}

export function shipmentItemsMissing(d: Decision, report: ShipmentItemsMissing['data']): void {
  if (d.state.status !== 'awaiting-shipment') return;
  const names = report.missing.map((item) => item.name).join(', ');
  // The report is the warehouse's answer: there is no shipment left to stop.
  compensate(d, 'items-missing', `Sorry: ${names} could not be found in the warehouse.`, { shipmentAnswered: true });
}

/** The warehouse is late: staff are told, once, and the process keeps waiting. */
export function warehouseOverdue(d: Decision): void {
  const { state } = d;
  const timer = state.timers['warehouse-overdue'];
  // Stryker disable next-line ConditionalExpression: the overdue timer is live only while awaiting the shipment (a dispatch and a compensation call it off).
  if (state.status !== 'awaiting-shipment' || !timer) return;
  // Waiting since the handover, which is when the timer was set, however late it fired.
  const since = timer.scheduledAt;
  d.emit({ type: 'FulfillmentDelayed', data: { orderId: state.orderId, waitingFor: 'warehouse', since, alertedAt: d.at } });
}

export function carrierDelivered(d: Decision): void {
  // Stryker disable next-line ConditionalExpression: the carrier's timer is live only while in transit (its firing completes the process and retires it).
  if (d.state.status !== 'in-transit') return;
  d.emit({ type: 'DeliveryConfirmed', data: { orderId: d.state.orderId, confirmedAt: d.at } });
  d.emit({ type: 'FulfillmentCompleted', data: { orderId: d.state.orderId, completedAt: d.at } });
}
