import { createEventStore } from '@/db/event-store';
import { openDatabase } from '@/db/open';
import { shopStoreOptions } from '@/server/db';
import { env } from '@/server/env';
import { seedShop } from '@/server/seed';
import { main } from './main';

/** `npm run db:seed`: the demo catalog and customers, as commands (see server/seed.ts). */
await main(async () => {
  const db = await openDatabase(
    { url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR },
    { max: 2, applicationName: 'hindsight-seed' },
  );
  const store = createEventStore(db.sql, shopStoreOptions);
  try {
    const seeded = await seedShop({ db, store }, (done, total) => {
      process.stdout.write(`\rSeeding: ${done}/${total} commands`);
    });
    process.stdout.write('\n');
    console.log(
      `Seeded ${seeded.products} products in ${seeded.categories} categories and ${seeded.customers} customers. ` +
        'Running the seed again changes nothing: each command repeats its idempotency key.',
    );
    console.log(
      seeded.demoAccounts
        ? 'Demo accounts: maya@, liam@, sofia@ and staff@example.com, password "hindsight-demo" (shown on the sign-in page).'
        : 'No demo accounts: AUTH_SECRET is set, so this is not a development shop. Sign up, then `npm run staff -- <email>`.',
    );
  } finally {
    await store.settled();
    await db.close();
  }
});
