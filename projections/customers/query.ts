import { asc, eq } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { readCheckpointToken } from '../runtime/checkpoints';
import { customersProjection } from './projection';
import { customers, type Customer } from './schema';

export async function listCustomers(db: PostgresJsDatabase): Promise<{ checkpoint: string; customers: Customer[] }> {
  const checkpoint = await readCheckpointToken(db, customersProjection.name);
  return { checkpoint, customers: await db.select().from(customers).orderBy(asc(customers.name)) };
}

export async function findCustomer(db: PostgresJsDatabase, customerId: string): Promise<Customer | null> {
  const [customer] = await db.select().from(customers).where(eq(customers.customerId, customerId));
  return customer ?? null;
}
