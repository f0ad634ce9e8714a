import { describe, expect, it } from 'vitest';
import { nextStep } from './steps';

const knobs = { pickMs: 0, packMs: 0, dispatchMs: 0, missingRate: 0, carrier: 'Parcel Post' };
const shipment = { order_id: 'order-1', status: 'received' as const, items: [{ productId: 'p-1', name: 'Blue Mug', quantity: 1 }] };

describe('a shipment\'s next step', () => {
  it('goes from received to dispatched in one pass when nothing takes time', () => {
    const move = nextStep(shipment, knobs);
    expect(move).toMatchObject({ status: 'dispatched', picked: true, packed: true, dispatched: true, next_in_ms: null, carrier: 'Parcel Post' });
    expect(move.outcome).toEqual({
      contract: 'shipment.dispatched',
      payload: { orderId: 'order-1', carrier: 'Parcel Post', trackingNumber: move.tracking_number },
    });
  });

  it('stops at the step that takes time, due after it', () => {
    expect(nextStep(shipment, { ...knobs, packMs: 500 })).toMatchObject({ status: 'picked', picked: true, packed: false, next_in_ms: 500, outcome: null });
    expect(nextStep({ ...shipment, status: 'picked' }, { ...knobs, dispatchMs: 700 })).toMatchObject({ status: 'packed', packed: true, next_in_ms: 700, outcome: null });
    expect(nextStep({ ...shipment, status: 'packed' }, { ...knobs, dispatchMs: 700 })).toMatchObject({ status: 'dispatched', dispatched: true, next_in_ms: null });
  });

  it('fails at picking when an item is missing, and says which', () => {
    const move = nextStep(shipment, { ...knobs, missingRate: 1 });
    expect(move).toMatchObject({ status: 'failed', failed: true, picked: false, next_in_ms: null, missing: shipment.items });
    expect(move.outcome).toEqual({ contract: 'shipment.failed', payload: { orderId: 'order-1', reason: 'items-missing', missing: shipment.items } });
  });
});
