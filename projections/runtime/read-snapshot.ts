import type { Orm, OrmTx } from '@/db/client';

/**
 * Runs a read-model query in one read-only REPEATABLE READ transaction, so its checkpoint and its rows come
 * from the same snapshot. Without it, a batch committing between two statements could show a page an order's
 * new timeline beside its old status, under a checkpoint that claims neither.
 */
export function readSnapshot<T>(db: Orm, read: (tx: OrmTx) => Promise<T>): Promise<T> {
  return db.transaction(read, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}
