import { stableUuid, seedCustomers, seedProducts, seedStaff } from './seed-data';
import { listProduct } from './commands/catalog';
import { registerCustomer } from './commands/customers';
import type { CommandEnvelope } from './commands/run-command';
import type { Database } from '@/db/client';
import type { EventStore } from '@/db/event-store';
import { isDevelopmentShop } from './auth';
import { seedDemoAccounts } from './auth/demo-accounts';

/**
 * The demo catalog and customers, created the way every change is made: by commands that append events.
 * The consumers of the log build the read models from them; nothing here writes a read model. Ids and idempotency keys
 * are derived from names, so seeding again appends nothing.
 */
export async function seedShop(
  { db, store }: { db: Database; store: EventStore },
  onProgress: (done: number, total: number) => void = () => {},
  /**
   * Whether to write the demo accounts, whose password is public. Only a development shop (no AUTH_SECRET)
   * should: on any other, anyone could sign in as the demo staff member. Staff there are made with
   * `npm run staff -- <email>`.
   */
  options: { demoAccounts: boolean } = { demoAccounts: isDevelopmentShop() },
): Promise<{ products: number; categories: number; customers: number; demoAccounts: boolean }> {
  const envelope = (key: string, input: object): CommandEnvelope => ({
    idempotencyKey: stableUuid(`seed:${key}`),
    requestHash: JSON.stringify(input),
    correlationId: stableUuid('seed'),
    actor: 'system:seed',
    source: 'seed',
    now: new Date(),
  });
  const products = seedProducts();
  const total = products.length + seedCustomers.length + 1;
  for (const [index, product] of products.entries()) {
    await listProduct(store, envelope(`product:${product.productId}`, product), product);
    if ((index + 1) % 50 === 0) onProgress(index + 1, total);
  }
  for (const customer of [...seedCustomers, seedStaff]) {
    await registerCustomer(store, envelope(`customer:${customer.customerId}`, customer), customer);
  }
  // Their accounts (passwords, the staff role) are not facts of the shop: better-auth's tables, not the log.
  if (options.demoAccounts) await seedDemoAccounts(db.orm);
  onProgress(total, total);
  return {
    products: products.length,
    categories: new Set(products.map((product) => product.category)).size,
    customers: seedCustomers.length + 1,
    demoAccounts: options.demoAccounts,
  };
}
