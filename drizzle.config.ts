import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates migrations here (`npm run db:generate`); they are reviewed, committed and applied
// by `npm run db:migrate`. Each read model owns its tables in its own folder under projections/.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/schema/*.ts', './projections/*/schema.ts', './processes/*/schema.ts', './reactors/*/schema.ts'],
  out: './db/migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hindsight' },
});
