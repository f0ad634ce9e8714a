import { connect } from '@/db/client';
import { createEventStore } from '@/db/event-store';
import { listProduct } from '@/server/commands/catalog';
import { registerCustomer } from '@/server/commands/customers';
import type { CommandEnvelope } from '@/server/commands/run-command';
import { env } from '@/server/env';
import { seedCustomers, seedProducts, stableUuid } from './seed-data';

/**
 * `npm run db:seed`: the demo catalog and customers, created the way every change is made, by commands that
 * append events. The projector builds the read models from them; nothing here writes a read model.
 */
const db = connect(env.DATABASE_URL, { max: 2, applicationName: 'hindsight-seed' });
const store = createEventStore(db.sql);

function envelope(key: string, input: object): CommandEnvelope {
  return {
    idempotencyKey: stableUuid(`seed:${key}`),
    requestHash: JSON.stringify(input),
    correlationId: stableUuid('seed'),
    actor: 'system:seed',
    source: 'seed',
    now: new Date(),
  };
}

try {
  const products = seedProducts();
  for (const [index, product] of products.entries()) {
    await listProduct(store, envelope(`product:${product.productId}`, product), product);
    if ((index + 1) % 50 === 0 || index === products.length - 1) {
      process.stdout.write(`\rProducts: ${index + 1}/${products.length}`);
    }
  }
  process.stdout.write('\n');
  for (const customer of seedCustomers) {
    await registerCustomer(store, envelope(`customer:${customer.customerId}`, customer), customer);
  }
  const categories = new Set(products.map((product) => product.category)).size;
  console.log(
    `Seeded ${products.length} products in ${categories} categories and ${seedCustomers.length} customers. ` +
      'Running the seed again changes nothing: each command repeats its idempotency key.',
  );
} finally {
  await db.close();
}
