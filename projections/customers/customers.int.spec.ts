import { describe, expect, it } from 'vitest';
import { encodeToken } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { customerStreamId, type CustomerRegistered } from '@/domain';
import { catchUp } from '../runtime/runner';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches } from '../testing';
import { customersProjection } from './projection';
import { findCustomer, listCustomers } from './query';

const ctx = useTestDatabase();
const project = () => catchUp(ctx.db.orm, ctx.store, customersProjection, smallBatches);

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
    await register(registered('c-zoe', 'Zoë Adler', '2025-03-01T08:00:00.000Z'));
    await register(registered('c-ada', 'Ada Lovelace', '2025-03-01T09:00:00.000Z'));
    const last = await register(registered('c-max', 'Max Planck', '2025-03-02T10:30:00.000Z'));

    expect(await project()).toBe(3);

    const { checkpoint, customers } = await listCustomers(ctx.db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    expect(customers.map((c) => c.name)).toEqual(['Ada Lovelace', 'Max Planck', 'Zoë Adler']);
    expect(await findCustomer(ctx.db.orm, 'c-max')).toEqual({
      customerId: 'c-max',
      name: 'Max Planck',
      email: 'c-max@example.com',
      registeredAt: new Date('2025-03-02T10:30:00.000Z'),
    });
    expect(await findCustomer(ctx.db.orm, 'c-nobody')).toBeNull();
  });

  it('moves its checkpoint past events it does not handle', async () => {
    const last = await appendShopEvents(ctx.store, {
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
    await project();
    const { checkpoint, customers } = await listCustomers(ctx.db.orm);
    expect(checkpoint).toBe(encodeToken(last));
    expect(customers).toHaveLength(3);
  });

  itAppliesExactlyOnce(customersProjection, {
    ctx,
    appendBatch: async () => {
      await register(registered('c-ok', 'Olga Ok', '2025-03-04T08:00:00.000Z'));
      return register(registered('c-fail', 'Fritz Fail', '2025-03-04T09:00:00.000Z'));
    },
  });
});
