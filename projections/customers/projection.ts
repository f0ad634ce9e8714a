import { defineProjection } from '../runtime/projection';
import { customers } from './schema';

export const customersProjection = defineProjection({
  name: 'customers',
  tables: [customers],
  handlers: {
    CustomerRegistered: async (tx, { data }) => {
      await tx
        .insert(customers)
        .values({
          customerId: data.customerId,
          name: data.name,
          email: data.email,
          registeredAt: new Date(data.registeredAt),
        })
        .onConflictDoNothing();
    },
  },
});
