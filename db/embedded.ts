import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from './client';
import { lockEmbeddedFolder } from './embedded-lock';
import { migrationsFolder } from './migrations-folder';
import { pgliteClient } from './sql';

/**
 * The zero-setup database: PostgreSQL compiled to WebAssembly (PGlite), running inside this process, its
 * data in a folder of the project. One connection, so there are no concurrent transactions: the event
 * store's out-of-order commit problem cannot arise, and the same SQL simply runs. `folder: null` keeps the
 * data in memory (tests). With EMBEDDED_THREAD the web server opens it on a worker thread of its own
 * (server/main/embedded-thread.ts).
 */
export type EmbeddedDatabase = Database & {
  /** For serving it to another thread (db/embedded-bridge.ts). */
  readonly pglite: PGlite;
};

export async function openEmbedded(folder: string | null): Promise<EmbeddedDatabase> {
  const release = folder ? await lockEmbeddedFolder(folder) : () => {};
  try {
    const pg = await PGlite.create(folder ?? undefined);
    const orm = drizzle(pg, { casing: 'snake_case' });
    return {
      kind: 'embedded',
      pglite: pg,
      sql: pgliteClient(pg),
      orm,
      migrate: () => migrate(orm, { migrationsFolder }),
      close: async () => {
        await pg.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
