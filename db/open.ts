import { resolve } from 'node:path';
import { connect, type Database, type DatabaseOptions } from './client';
import { openEmbedded } from './embedded';

/**
 * The database a process should use: the PostgreSQL server at `url` when there is one, else the embedded
 * database in `embeddedDir` (created on first use; only one process may hold it).
 */
export async function openDatabase(
  settings: { url: string | undefined; embeddedDir: string },
  options: DatabaseOptions = {},
): Promise<Database> {
  if (settings.url) return connect(settings.url, options);
  return openEmbedded(resolve(settings.embeddedDir));
}
