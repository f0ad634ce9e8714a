import { migrateDatabase } from '@/db/migrate';
import { env } from '@/server/env';

const target = new URL(env.DATABASE_URL);
console.log(`Migrating ${target.host}${target.pathname} …`);
await migrateDatabase(env.DATABASE_URL);
console.log('Migrations applied.');
