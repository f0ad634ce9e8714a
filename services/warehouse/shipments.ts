import type { PayloadOf } from '@/contracts';
import { enqueue, type Cause } from './outbox';
import type { WarehouseExecutor } from './sql';

export const shipmentStatuses = ['received', 'picked', 'packed', 'dispatched', 'failed', 'cancelled'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];

/**
 * A request creates the order's shipment, due for picking after `pickMs`. An order has one shipment: a second
 * request is ignored, and so is a request after a cancellation that came first (see `cancelShipment`).
 * True when it created one.
 */
export async function requestShipment(
  tx: WarehouseExecutor,
  request: PayloadOf<'shipment.requested'>,
  cause: Cause,
  pickMs: number,
): Promise<boolean> {
  const created = await tx.query(
    `insert into warehouse.shipments
       (order_id, status, items, ship_to, request_id, correlation_id, traceparent, tracestate, received_at, next_step_at)
     values ($1, 'received', $2::text::jsonb, $3::text::jsonb, $4, $5, $7, $8, now(), now() + $6::integer * interval '1 millisecond')
     on conflict (order_id) do nothing
     returning order_id`,
    [request.orderId, JSON.stringify(request.items), JSON.stringify(request.shipTo), cause.messageId, cause.correlationId, pickMs, cause.traceparent ?? null, cause.tracestate ?? null],
  );
  return created.length > 0;
}

/**
 * Stops a shipment that has not left, and answers `shipment.cancelled`. After dispatch nothing happens here: the
 * shop sees the dispatch and deals with it (a parcel that left is not recalled by the warehouse). A failed or
 * already cancelled shipment is over too. For an order never requested the cancellation is recorded as a
 * cancelled shipment, so the request, should it arrive late, is not shipped; and it is answered like any other.
 * True when it answered.
 */
export async function cancelShipment(tx: WarehouseExecutor, orderId: string, cause: Cause): Promise<boolean> {
  const [recorded] = await tx.query<{ cancelled_at: Date }>(
    `insert into warehouse.shipments (order_id, status, items, correlation_id, cancelled_at)
     values ($1, 'cancelled', '[]', $2, now())
     on conflict (order_id) do nothing
     returning cancelled_at`,
    [orderId, cause.correlationId],
  );
  // The row lock waits for a step under way on this shipment; the status is then read as that step left it.
  const [stopped] = recorded
    ? [recorded]
    : await tx.query<{ cancelled_at: Date }>(
        `update warehouse.shipments
         set status = 'cancelled', cancelled_at = now(), next_step_at = null, updated_at = now()
         where order_id = $1 and status in ('received', 'picked', 'packed')
         returning cancelled_at`,
        [orderId],
      );
  if (!stopped) return false;
  await enqueue(tx, 'shipment.cancelled', { orderId, cancelledAt: stopped.cancelled_at.toISOString() }, stopped.cancelled_at, cause);
  return true;
}
