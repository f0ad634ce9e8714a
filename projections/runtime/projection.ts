import type { Orm } from '@/db/client';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { StoredEvent } from '@/db/event-store';
import type { ShopEventOf, ShopEventType } from '@/server/domain';

/** A drizzle transaction: every read-model write of a batch, and its checkpoint, go through one. */
export type ProjectionTx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export type ShopStoredEvent<T extends ShopEventType = ShopEventType> = StoredEvent<T, ShopEventOf<T>['data']>;

type Handlers = { [T in ShopEventType]?: (tx: ProjectionTx, event: ShopStoredEvent<T>) => Promise<void> };

/**
 * A PostgreSQL read model: the events it handles, how each one changes its tables, and the tables themselves
 * (so it can be rebuilt from zero). Handlers run in log order inside the batch's transaction; they must be
 * deterministic functions of the event, so replaying the log from zero rebuilds identical rows.
 */
export type Projection = {
  readonly kind: 'postgres';
  /** Also the checkpoint's key. Bump the suffix (`_v2`) when a change needs a rebuild from zero. */
  readonly name: string;
  readonly tables: readonly PgTable[];
  readonly handles: ReadonlySet<string>;
  readonly apply: (tx: ProjectionTx, event: ShopStoredEvent) => Promise<void>;
};

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
    async apply(tx, event) {
      await handlers[event.type]?.(tx, event);
    },
  };
}
