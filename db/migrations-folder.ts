import { join } from 'node:path';

/**
 * The committed drizzle-kit migrations; both drivers apply the same files. Resolved from the project folder
 * (every entry point runs there) rather than from this module, which Next.js bundles into `.next/`.
 */
export const migrationsFolder = join(process.cwd(), 'db', 'migrations');
