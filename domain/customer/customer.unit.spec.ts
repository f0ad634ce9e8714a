import { describe, expect, expectTypeOf, it } from 'vitest';
import { IllegalStateError } from '../errors';
import { given } from '../testing';
import { customerDecider, customerEventTypes, customerStreamId, type CustomerEvent } from './index';

const metadata = { now: new Date('2025-03-01T09:00:00.000Z') };
const data = { customerId: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com' };
const register = { type: 'RegisterCustomer', data, metadata } as const;
const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: { ...data, registeredAt: metadata.now.toISOString() },
};

describe('Customer', () => {
  it('names its stream and lists every event type', () => {
    expect(customerStreamId('u-1')).toBe('customer-u-1');
    expectTypeOf<(typeof customerEventTypes)[number]>().toEqualTypeOf<CustomerEvent['type']>();
  });

  it('registers a new customer', () => {
    given(customerDecider).when(register).then([registered]);
  });

  it('refuses registering twice', () => {
    given(customerDecider, [registered]).when(register).thenThrows(IllegalStateError, /already registered/);
  });
});
