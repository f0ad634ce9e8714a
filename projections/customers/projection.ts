import { defineBatchProjection } from '../runtime/projection';
import { insertRowsIgnoringConflicts } from '../runtime/row-set';
import { customers } from './schema';

export const customersProjection = defineBatchProjection({
  name: 'customers',
  tables: [customers],
  handles: ['CustomerRegistered'],
  async applyBatch(tx, events) {
    // A customer registers once; a second registration of the same id changes nothing (ON CONFLICT DO NOTHING).
    const rows = events.flatMap(({ type, data }) =>
      type === 'CustomerRegistered'
        ? [{ customerId: data.customerId, name: data.name, email: data.email, registeredAt: new Date(data.registeredAt) }]
        : [],
    );
    await insertRowsIgnoringConflicts(tx, customers, rows);
  },
});
