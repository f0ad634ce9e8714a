import { sql, type SQL } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Orm, OrmTx } from '@/db/client';
import type { Projection } from '../projection';

/**
 * The shadow tables a rebuild fills beside the live ones: a schema of its own (`rebuild_<id>`) holding a
 * table of the same name and shape for each live table of the read models rebuilt. A batch runs with
 * `SET LOCAL search_path = rebuild_<id>, public`, and every statement a projection writes names its tables
 * unqualified (drizzle's tables carry no schema), so the projection's own code fills the shadow without
 * knowing: no second copy of any read model, and a rebuild runs exactly the code the live consumer runs.
 *
 * The swap moves the shadow tables into `public` in place of the live ones, in one transaction
 * (`swapTables`): names, constraints and indexes are the live ones', so later migrations find what they
 * expect.
 */

export function shadowSchema(rebuildId: number): string {
  return `rebuild_${rebuildId}`;
}

/** The tables of these read models as PostgreSQL names them. */
export function tableNames(projections: readonly Projection[]): { projection: string; table: string; schema: string }[] {
  return projections.flatMap((projection) =>
    projection.tables.map((table: PgTable) => {
      const config = getTableConfig(table);
      return { projection: projection.name, table: config.name, schema: config.schema ?? 'public' };
    }),
  );
}

const ident = (name: string) => sql.raw(`"${name.replaceAll('"', '""')}"`);
const qualified = (schema: string, table: string) => sql.raw(`"${schema.replaceAll('"', '""')}"."${table.replaceAll('"', '""')}"`);

/** postgres.js answers `execute` with the rows, PGlite with `{ rows }`. */
export async function executeRows<Row>(tx: Orm | OrmTx, query: SQL): Promise<Row[]> {
  const result = (await tx.execute(query)) as unknown as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

/** Points the transaction's unqualified table names at the shadow schema first. */
export async function useShadow(tx: OrmTx, schema: string): Promise<void> {
  await tx.execute(sql`select set_config('search_path', ${`"${schema}", public`}, true)`);
}

/** And back at the live tables, for the rest of the transaction. */
export async function useLive(tx: OrmTx): Promise<void> {
  await tx.execute(sql`select set_config('search_path', 'public', true)`);
}

/**
 * Creates the shadow schema, empty, with a copy of each live table: columns, defaults and generated columns
 * by `LIKE`, then every constraint and index under its live name (the DDL PostgreSQL itself prints for them),
 * so the swapped-in table is indistinguishable from one the migrations made. A schema left by an earlier
 * attempt of this rebuild is dropped first.
 */
export async function createShadowTables(tx: OrmTx, schema: string, projections: readonly Projection[]): Promise<void> {
  await tx.execute(sql`drop schema if exists ${ident(schema)} cascade`);
  await tx.execute(sql`create schema ${ident(schema)}`);
  for (const { table, schema: live } of tableNames(projections)) {
    const source = qualified(live, table);
    const target = qualified(schema, table);
    await tx.execute(sql`create table ${target} (like ${source} including defaults including generated including identity including storage)`);
    const constraints = await executeRows<{ name: string; definition: string }>(
      tx,
      sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
          where conrelid = ${`${live}.${table}`}::regclass and contype in ('p', 'u', 'c', 'x', 'f') order by contype desc, conname`,
    );
    for (const { name, definition } of constraints) {
      await tx.execute(sql`alter table ${target} add constraint ${ident(name)} ${sql.raw(definition)}`);
    }
    const indexes = await executeRows<{ definition: string }>(
      tx,
      sql`select pg_get_indexdef(i.indexrelid) as definition from pg_index i
          where i.indrelid = ${`${live}.${table}`}::regclass
            and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)`,
    );
    for (const { definition } of indexes) {
      // "CREATE [UNIQUE] INDEX name ON [ONLY] public.table USING …": the same index on the shadow table.
      const match = /^(CREATE (?:UNIQUE )?INDEX \S+ ON )(?:ONLY )?\S+( USING .*)$/s.exec(definition);
      if (!match) throw new Error(`Cannot copy an index of ${table}: ${definition}`);
      await tx.execute(sql`${sql.raw(match[1]!)}${target}${sql.raw(match[2]!)}`);
    }
  }
}

export type TableFingerprint = { readonly rows: number; readonly hash: string };

/**
 * A table's row count and a hash of its content: every row as text, in one order, hashed together. Two
 * tables with the same rows give the same hash whatever order they were written in.
 */
export async function fingerprint(tx: OrmTx, schema: string, table: string): Promise<TableFingerprint> {
  const [row] = await executeRows<{ rows: string | number; hash: string }>(
    tx,
    sql`select count(*) as rows, md5(coalesce(string_agg(t::text, E'\n' order by t::text), '')) as hash from ${qualified(schema, table)} t`,
  );
  return { rows: Number(row?.rows ?? 0), hash: row?.hash ?? '' };
}

/** Locks the live tables against every reader and writer until the transaction ends, in the order batches take them. */
export async function lockLiveTables(tx: OrmTx, projections: readonly Projection[]): Promise<void> {
  const names = tableNames(projections).map(({ schema, table }) => qualified(schema, table));
  await tx.execute(sql`lock table ${sql.join(names, sql`, `)} in access exclusive mode`);
}

/**
 * Replaces each live table by its shadow: the live one is dropped, the shadow moved into its schema. Queries
 * waiting on the live table's lock meanwhile find the new table by name once the transaction commits.
 */
export async function swapTables(tx: OrmTx, schema: string, projections: readonly Projection[]): Promise<void> {
  for (const { table, schema: live } of tableNames(projections)) {
    await tx.execute(sql`drop table ${qualified(live, table)}`);
    await tx.execute(sql`alter table ${qualified(schema, table)} set schema ${ident(live)}`);
  }
  await tx.execute(sql`drop schema ${ident(schema)}`);
}

/** Removes a cancelled or failed rebuild's shadow tables; the live ones are untouched. */
export async function dropShadow(tx: OrmTx, schema: string): Promise<void> {
  await tx.execute(sql`drop schema if exists ${ident(schema)} cascade`);
}
