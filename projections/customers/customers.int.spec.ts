import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { customerStreamId, productStreamId, type CustomerRegistered } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { customersProjection } from './projection';
import { findCustomer, listCustomers } from './query';

const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, customersProjection, smallBatches);

const registered = (customerId: string, name: string, registeredAt: string): CustomerRegistered => ({
  type: 'CustomerRegistered',
  data: { customerId, name, email: `${customerId}@example.com`, registeredAt },
});

const register = (event: CustomerRegistered) =>
  appendShopEvents(
    ctx.store,
    { streamId: customerStreamId(event.data.customerId), events: [event] },
    metadata(`register-${event.data.customerId}`, `customer:${event.data.customerId}`),
  );

describe('customers', () => {
  it('lists registered customers by name', async () => {
    // Caught up first, so the count below is of this test's events alone.
    await project();
    await register(registered('c-zoe', 'Zoë Adler', '2025-03-01T08:00:00.000Z'));
    await register(registered('c-ada', 'Ada Lovelace', '2025-03-01T09:00:00.000Z'));
    const last = await register(registered('c-max', 'Max Planck', '2025-03-02T10:30:00.000Z'));

    expect(await project()).toBe(3);

    const { checkpoint, customers } = await listCustomers(ctx.db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    // Other tests register customers of their own into the same list: these three must come in name order.
    const ours = new Set(['c-zoe', 'c-ada', 'c-max']);
    expect(customers.filter((c) => ours.has(c.customerId)).map((c) => c.name)).toEqual([
      'Ada Lovelace',
      'Max Planck',
      'Zoë Adler',
    ]);
    expect(await findCustomer(ctx.db.orm, 'c-max')).toEqual({
      customerId: 'c-max',
      name: 'Max Planck',
      email: 'c-max@example.com',
      registeredAt: new Date('2025-03-02T10:30:00.000Z'),
    });
    expect(await findCustomer(ctx.db.orm, 'c-nobody')).toBeNull();
  });

  it('moves its checkpoint past events it does not handle', async () => {
    await project();
    const before = await listCustomers(ctx.db.orm);
    const last = await appendShopEvents(ctx.store, {
      streamId: productStreamId('p-teapot'),
      events: [
        {
          type: 'ProductListed',
          data: {
            productId: 'p-teapot',
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
    expect(await project()).toBe(1);
    const { checkpoint, customers } = await listCustomers(ctx.db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    expect(customers).toEqual(before.customers);
  });

  itAppliesExactlyOnce(customersProjection, {
    ctx,
    appendBatch: async (key) => {
      await register(registered(`c-${key}-ok`, 'Olga Ok', '2025-03-04T08:00:00.000Z'));
      return register(registered(`c-${key}-fail`, 'Fritz Fail', '2025-03-04T09:00:00.000Z'));
    },
  });
});
