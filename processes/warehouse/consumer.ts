import { createHash } from 'node:crypto';
import { forEachByKey, type ExternalConsumer, type Handled } from '@/db/consumers';
import type { EventStore } from '@/db/event-store';
import { shipmentStreamId, type ShipmentEvent, type ShopEvent } from '@/domain';

const requestTypes = ['ShipmentRequested', 'ShipmentCancellationRequested'] as const;
type ShipmentRequest = Handled<ShopEvent, (typeof requestTypes)[number]>;

export type WarehouseOptions = {
  /** The share of shipments in which an item is not on the shelf (0 in normal use; tests and demos raise it). */
  readonly missingRate: number;
  readonly carrier?: string;
};

/**
 * A simulated warehouse: picks and dispatches what the fulfillment process hands over, answering in
 * `shipment-<orderId>`. It runs in the worker today, reading the process's requests from the log; the
 * warehouse as a service of its own, reached over the broker, replaces it (the answers keep their shape).
 *
 * Its answers are a function of the order (a tracking number and a missing item derived from the order id),
 * so a request answered again after a crash answers the same; the append's key records it once.
 */
export function warehouseSimulator(store: EventStore, options: WarehouseOptions): ExternalConsumer<ShopEvent, (typeof requestTypes)[number]> {
  const carrier = options.carrier ?? 'Parcel Post';
  return {
    kind: 'external',
    name: 'warehouse_simulator',
    handles: requestTypes,
    liveBatchSpacingMs: 0,
    async applyBatch(events) {
      await forEachByKey(events, (event) => event.data.orderId, 8, async (request) => {
        const answer = await answerFor(store, request, carrier, options.missingRate, new Date().toISOString());
        if (!answer) return;
        await store.append(shipmentStreamId(request.data.orderId), [answer], {
          expectedVersion: 'any',
          metadata: { correlationId: request.metadata.correlationId, causationId: request.eventId, actor: 'system:warehouse', source: 'warehouse' },
          idempotency: { key: `warehouse:${request.eventId}`, requestHash: 'warehouse', result: null },
        });
      });
    },
  };
}

async function answerFor(store: EventStore, request: ShipmentRequest, carrier: string, missingRate: number, at: string): Promise<ShipmentEvent | null> {
  const { orderId } = request.data;
  const answered = await store.readStream(shipmentStreamId(orderId));
  if (request.type === 'ShipmentCancellationRequested') {
    // A parcel that left cannot be stopped here; the process sees the dispatch and asks staff to recall it.
    if (answered.some((event) => event.type === 'ShipmentDispatched')) return null;
    return { type: 'ShipmentCancelled', data: { orderId, cancelledAt: at } };
  }
  if (answered.length > 0) return null;
  const digest = createHash('sha256').update(orderId).digest();
  if (digest.readUInt32BE(0) / 2 ** 32 < missingRate) {
    const line = request.data.lines[digest[4]! % request.data.lines.length]!;
    return { type: 'ShipmentItemsMissing', data: { orderId, missing: [{ productId: line.productId, name: line.name, quantity: line.quantity }], reportedAt: at } };
  }
  const trackingNumber = `PP${digest.toString('hex').slice(0, 10).toUpperCase()}`;
  return { type: 'ShipmentDispatched', data: { orderId, carrier, trackingNumber, dispatchedAt: at } };
}
