import type { PgTable } from 'drizzle-orm/pg-core';
import type { OrmTx } from '@/db/client';
import type { Handled, TransactionalConsumer } from '@/db/consumers';
import type { ShopEvent, ShopEventType } from '@/domain';

/** A stored shop event of the types `T`, discriminated by `type`: a switch on `type` narrows `data`. */
export type ShopStoredEvent<T extends ShopEventType = ShopEventType> = Handled<ShopEvent, T>;

/**
 * A PostgreSQL read model: a transactional consumer of the log (db/consumers) that also names its tables,
 * so it can be reset and rebuilt from zero. Its name is also its checkpoint's key.
 */
export type Projection<T extends ShopEventType = ShopEventType> = TransactionalConsumer<ShopEvent, T> & {
  readonly tables: readonly PgTable[];
  /**
   * The version of its code (default 1). Bump it when a change makes the rows differ from what the live tables
   * hold (a fix, a new column filled from old events): the next deploy rebuilds the read model beside the live
   * one and swaps it in (./rebuild/), stating the difference instead of failing on it. Its name, and so its
   * checkpoint, stay.
   */
  readonly version?: number;
};

/**
 * A read model applied set-wise: `applyBatch` loads the rows the batch touches, folds the events into them in
 * memory and writes each table back with a few multi-row statements (see `RowSet`), so a batch costs a handful
 * of round trips instead of several per event. `events` holds only the `handles` types, narrowed.
 * docs/projections.md explains the design.
 */
export function defineBatchProjection<const T extends ShopEventType>(definition: {
  name: string;
  version?: number;
  tables: readonly PgTable[];
  handles: readonly T[];
  applyBatch: (tx: OrmTx, events: readonly ShopStoredEvent<T>[]) => Promise<void>;
}): Projection<T> {
  return { kind: 'transactional', ...definition };
}
