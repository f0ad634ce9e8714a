import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, encodeToken, type EventStore } from '@/db/event-store';
import { createTestDatabase, type TestDatabase } from '@/db/testing';
import { customerStreamId, type CustomerRegistered } from '@/server/domain';
import { readCheckpoint } from '../runtime/checkpoints';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, dumpProjection, failingAt, metadata } from '../testing';
import { customersProjection } from './projection';
import { findCustomer, listCustomers } from './query';

// Small batches, so a catch-up spans several transactions and checkpoints.
const options = { batchSize: 2 };

let db: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase();
  store = createEventStore(db.sql);
});
afterAll(() => db.drop());

const registered = (customerId: string, name: string, registeredAt: string): CustomerRegistered => ({
  type: 'CustomerRegistered',
  data: { customerId, name, email: `${customerId}@example.com`, registeredAt },
});

const register = (event: CustomerRegistered) =>
  appendShopEvents(
    store,
    { streamId: customerStreamId(event.data.customerId), events: [event] },
    metadata(`register-${event.data.customerId}`, `customer:${event.data.customerId}`),
  );

describe('customers', () => {
  it('lists registered customers by name', async () => {
    await register(registered('c-zoe', 'Zoë Adler', '2025-03-01T08:00:00.000Z'));
    await register(registered('c-ada', 'Ada Lovelace', '2025-03-01T09:00:00.000Z'));
    const last = await register(registered('c-max', 'Max Planck', '2025-03-02T10:30:00.000Z'));

    expect(await catchUp(db.orm, store, customersProjection, options)).toBe(3);

    const { checkpoint, customers } = await listCustomers(db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    expect(customers.map((c) => c.name)).toEqual(['Ada Lovelace', 'Max Planck', 'Zoë Adler']);
    expect(await findCustomer(db.orm, 'c-max')).toEqual({
      customerId: 'c-max',
      name: 'Max Planck',
      email: 'c-max@example.com',
      registeredAt: new Date('2025-03-02T10:30:00.000Z'),
    });
    expect(await findCustomer(db.orm, 'c-nobody')).toBeNull();
  });

  it('moves its checkpoint past events it does not handle', async () => {
    const last = await appendShopEvents(store, {
      streamId: 'product-p-1',
      events: [
        {
          type: 'ProductListed',
          data: {
            productId: 'p-1',
            name: 'Teapot',
            description: 'Cast iron',
            category: 'kitchen',
            priceCents: 3_200,
            stock: 4,
            listedAt: '2025-03-03T09:00:00.000Z',
          },
        },
      ],
    });
    await catchUp(db.orm, store, customersProjection, options);
    const { checkpoint, customers } = await listCustomers(db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    expect(customers).toHaveLength(3);
  });

  it('applies nothing twice: a second catch-up reads nothing and changes no row', async () => {
    const before = await dumpProjection(db.orm, customersProjection);
    expect(await catchUp(db.orm, store, customersProjection, options)).toBe(0);
    expect(await dumpProjection(db.orm, customersProjection)).toEqual(before);
  });

  it('rolls back a batch that fails part-way: neither its rows nor the checkpoint move', async () => {
    const before = await dumpProjection(db.orm, customersProjection);
    const checkpoint = await readCheckpoint(db.orm, customersProjection.name);
    await register(registered('c-ok', 'Olga Ok', '2025-03-04T08:00:00.000Z'));
    const last = await register(registered('c-fail', 'Fritz Fail', '2025-03-04T09:00:00.000Z'));
    const failing = failingAt(customersProjection, last);

    await expect(catchUp(db.orm, store, failing, options)).rejects.toThrow(/injected failure/);
    expect(await dumpProjection(db.orm, customersProjection)).toEqual(before);
    expect(await readCheckpoint(db.orm, customersProjection.name)).toEqual(checkpoint);
  });
});
