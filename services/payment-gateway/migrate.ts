import type { SqlClient } from '@/db/sql';
import { migrations } from './migrations';

/**
 * Brings the `payment_gateway` schema up to date, in whatever database the gateway is given. Everything runs in
 * one transaction under an advisory lock: gateways starting together apply each migration once, and a failed
 * migration leaves nothing half done. The shop's drizzle migrations know nothing of these tables.
 */
export async function migratePaymentGateway(sql: SqlClient): Promise<void> {
  await sql.transaction(async (tx) => {
    // A key of the gateway's own, derived from its schema's name, so it never waits on another lock's holder.
    await tx.query("select pg_advisory_xact_lock(hashtext('payment_gateway.migrations'))");
    await tx.query('create schema if not exists payment_gateway');
    await tx.query(
      `create table if not exists payment_gateway.migrations (
        id text primary key,
        applied_at timestamptz not null default now()
      )`,
    );
    const applied = await tx.query<{ id: string }>('select id from payment_gateway.migrations');
    const done = new Set(applied.map((row) => row.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into payment_gateway.migrations (id) values ($1)', [migration.id]);
    }
  });
}
