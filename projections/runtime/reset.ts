import { sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { ensureCheckpoint, rewindCheckpoint } from '@/db/event-store';
import type { Projection } from './projection';

/**
 * Empties the read model and moves its checkpoint back to the start of the log, in one transaction.
 *
 * TRUNCATE, not DELETE: a DELETE leaves every old row behind as a dead tuple, in the heap and in each index,
 * for the rebuild that follows to step over until a vacuum runs; TRUNCATE starts it on empty files. Its
 * exclusive lock is taken before the checkpoint's, in the order a batch takes them (tables, then the
 * checkpoint), so a reset waits for a running batch instead of deadlocking with it; page queries wait for
 * the reset. TRUNCATE is not MVCC-safe: a page whose snapshot began before the reset committed may find the
 * tables empty beside the old checkpoint. A reset is an operator's step; the pages show an empty read model
 * either way until it has caught up again.
 */
export async function resetProjection(orm: Orm, projection: Projection): Promise<void> {
  await ensureCheckpoint(orm, projection.name);
  await orm.transaction(async (tx) => {
    await tx.execute(sql`truncate ${sql.join(projection.tables.map((table) => sql`${table}`), sql`, `)}`);
    await rewindCheckpoint(tx, projection.name);
  });
}
