import type { Orm } from '@/db/client';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { StoredEvent } from '@/db/event-store';
import type { ShopEventOf, ShopEventType } from '@/domain';

/** A drizzle transaction: every read-model write of a batch, and its checkpoint, go through one. */
export type ProjectionTx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export type ShopStoredEvent<T extends ShopEventType = ShopEventType> = StoredEvent<T, ShopEventOf<T>['data']>;

/** A stored shop event as a union discriminated by `type`, so a `switch` narrows `data`. */
export type AnyShopStoredEvent = { [T in ShopEventType]: ShopStoredEvent<T> }[ShopEventType];

type Handlers = { [T in ShopEventType]?: (tx: ProjectionTx, event: ShopStoredEvent<T>) => Promise<void> };

/**
 * A PostgreSQL read model: the events it handles, how they change its tables, and the tables themselves (so it
 * can be rebuilt from zero). `applyBatch` gets the batch's handled events in log order inside the batch's
 * transaction; the result must equal applying them one by one, and be a deterministic function of the events,
 * so replaying the log from zero rebuilds identical rows.
 */
export type Projection = {
  readonly kind: 'postgres';
  /** Also the checkpoint's key. Bump the suffix (`_v2`) when a change needs a rebuild from zero. */
  readonly name: string;
  readonly tables: readonly PgTable[];
  readonly handles: ReadonlySet<string>;
  readonly applyBatch: (tx: ProjectionTx, events: readonly ShopStoredEvent[]) => Promise<void>;
};

/** A read model written event by event: a few statements per event. Simple; fine for small read models. */
export function defineProjection(definition: {
  name: string;
  tables: readonly PgTable[];
  handlers: Handlers;
}): Projection {
  const handlers = definition.handlers as Record<string, (tx: ProjectionTx, event: ShopStoredEvent) => Promise<void>>;
  return {
    kind: 'postgres',
    name: definition.name,
    tables: definition.tables,
    handles: new Set(Object.keys(handlers)),
    async applyBatch(tx, events) {
      for (const event of events) await handlers[event.type]?.(tx, event);
    },
  };
}

/**
 * A read model applied set-wise: `applyBatch` loads the rows the batch touches, folds the events into them in
 * memory and writes each table back with a few multi-row statements (see `RowSet`), so a batch costs a handful
 * of round trips instead of several per event. docs/projections.md explains the design.
 */
export function defineBatchProjection(definition: {
  name: string;
  tables: readonly PgTable[];
  handles: readonly ShopEventType[];
  applyBatch: (tx: ProjectionTx, events: readonly AnyShopStoredEvent[]) => Promise<void>;
}): Projection {
  return {
    kind: 'postgres',
    name: definition.name,
    tables: definition.tables,
    handles: new Set(definition.handles),
    applyBatch: (tx, events) => definition.applyBatch(tx, events as readonly AnyShopStoredEvent[]),
  };
}
