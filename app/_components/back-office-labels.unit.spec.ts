import { describe, expect, it } from 'vitest';
import { actorLabel, streamLabel } from './back-office-labels';

const id = 'cacf933f-1b5c-43ad-ab93-e343106dda6f';

describe('streamLabel', () => {
  it.each([
    [`order-${id}`, { kind: 'order', id: 'cacf933f' }],
    [`fraud-check-${id}`, { kind: 'fraud-check', id: 'cacf933f' }],
    [`timer-${id}.handover`, { kind: 'timer', id: 'cacf933f.handover' }],
  ])('reads %s as its kind and a short id', (streamId, label) => {
    expect(streamLabel(streamId)).toEqual(label);
  });

  it('leaves a stream id without a UUID whole', () => {
    expect(streamLabel('order-o-1')).toEqual({ kind: 'order-o-1', id: '' });
  });
});

describe('actorLabel', () => {
  it('shortens the id of an actor, and leaves one without an id alone', () => {
    expect(actorLabel(`customer:${id}`)).toBe('customer:cacf933f');
    expect(actorLabel(`staff:${id}`)).toBe('staff:cacf933f');
    expect(actorLabel('system:fulfillment')).toBe('system:fulfillment');
  });
});
