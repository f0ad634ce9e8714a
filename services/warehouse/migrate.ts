import { migrations } from './migrations';
import type { WarehouseSql } from './sql';

/**
 * Brings the `warehouse` schema up to date, in whatever database the warehouse is given (its own, or the shop's
 * when the shop runs it in process). Everything runs in one transaction under an advisory lock: warehouses
 * starting together apply each migration once, and a failed migration leaves nothing half done.
 */
export async function migrateWarehouse(sql: WarehouseSql): Promise<void> {
  await sql.transaction(async (tx) => {
    // A key of the warehouse's own, derived from its schema's name, so it never waits on another lock's holder.
    await tx.query("select pg_advisory_xact_lock(hashtext('warehouse.migrations'))");
    await tx.query('create schema if not exists warehouse');
    await tx.query(
      `create table if not exists warehouse.migrations (
        id text primary key,
        applied_at timestamptz not null default now()
      )`,
    );
    const applied = await tx.query<{ id: string }>('select id from warehouse.migrations');
    const done = new Set(applied.map((row) => row.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into warehouse.migrations (id) values ($1)', [migration.id]);
    }
  });
}
