import { asc, eq } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { customersProjection } from './projection';
import { customers, type Customer } from './schema';

export function listCustomers(db: Orm): Promise<{ checkpoint: string; customers: Customer[] }> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, customersProjection.name);
    return { checkpoint, customers: await tx.select().from(customers).orderBy(asc(customers.name)) };
  });
}

export async function findCustomer(db: Orm, customerId: string): Promise<Customer | null> {
  const [customer] = await db.select().from(customers).where(eq(customers.customerId, customerId));
  return customer ?? null;
}
