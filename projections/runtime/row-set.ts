import { getTableColumns, or, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { OrmTx } from '@/db/client';

/** Keys per lookup: a batch's keys fit in one, and the JSON parameter stays small. */
const keysPerLookup = 10_000;

/**
 * The rows of one read-model table that a batch touches, held in memory while the batch's events fold into them.
 * Rows are held in their insert shape: generated columns are PostgreSQL's to compute and are never written.
 *
 * `load` fetches the existing rows for the keys the batch names (one query per table and batch); the
 * projection then reads and changes rows here exactly as its SQL would have, event by event (`insert` keeps an
 * existing row, like ON CONFLICT DO NOTHING; `update` of a missing row does nothing, like UPDATE … WHERE); and
 * `write` sends the net result: a multi-row DELETE for removed rows, a multi-row UPDATE for changed rows that
 * were loaded, and a multi-row upsert for new ones. Rows never touched by the batch are neither read nor written.
 */
export class RowSet<Table extends PgTable> {
  private readonly rows = new Map<string, Table['$inferInsert']>();
  private readonly changed = new Set<string>();
  private readonly removed = new Map<string, Table['$inferInsert']>();
  /** Keys whose rows were loaded, so exist in the table: a change to one is an UPDATE, not an upsert. */
  private readonly stored = new Set<string>();
  /**
   * The columns (by property) that changes to loaded rows touched, so the UPDATE sets and sends only those;
   * null once a loaded row was replaced whole (removed and added again), when it sets every column.
   */
  private updatedColumns: Set<string> | null = new Set();

  constructor(
    private readonly table: Table,
    private readonly keyOf: (row: Table['$inferInsert']) => string,
    /** Matches one row by its key, for deletes; only tables whose rows can be deleted need it. */
    private readonly whereKey?: (row: Table['$inferInsert']) => SQL,
  ) {}

  /** Loads the existing rows whose `column` is one of `values` (for a composite key, its leading column). */
  async load(tx: OrmTx, column: PgColumn, values: Iterable<string>): Promise<void> {
    const wanted = [...new Set(values)];
    for (let from = 0; from < wanted.length; from += keysPerLookup) {
      // drizzle's row type for a generic table is opaque; the rows are this table's own. Only the writable
      // columns: a generated one (a search document) is PostgreSQL's to compute, and was most of the bytes.
      const found = (await tx
        .select(shape(this.table).selection)
        .from(this.table as PgTable)
        // The keys travel as one JSON parameter: thousands of bound parameters cost more to bind and plan.
        // They are gathered into an array first: joined to the set-returning function directly, the planner
        // assumes it yields 100 keys and, for a table of some thousands of rows, scans the whole table for
        // the one or two keys of a live batch (milliseconds per batch); `= any(array)` is an index lookup.
        .where(
          sql`${column} = any(array(select key::${sql.raw(column.getSQLType())}
                            from json_array_elements_text(${JSON.stringify(wanted.slice(from, from + keysPerLookup))}::text::json) as key))`,
        )) as Table['$inferInsert'][];
      for (const row of found) {
        const key = this.keyOf(row);
        this.rows.set(key, row);
        this.stored.add(key);
      }
    }
  }

  /**
   * The row as the batch has left it so far. Read-only: change it through `update` or `upsert`, which also
   * note the columns the UPDATE must write.
   */
  get(key: string): Readonly<Table['$inferInsert']> | undefined {
    return this.rows.get(key);
  }

  /** Adds the row unless one with its key exists (INSERT … ON CONFLICT DO NOTHING). */
  insert(row: Table['$inferInsert']): void {
    const key = this.keyOf(row);
    if (!this.rows.has(key)) this.put(key, row, null);
  }

  /** Adds the row, or changes the existing one (INSERT … ON CONFLICT DO UPDATE SET `onConflict`). */
  upsert(row: Table['$inferInsert'], onConflict: Partial<Table['$inferInsert']>): void {
    const key = this.keyOf(row);
    const existing = this.rows.get(key);
    if (existing) this.put(key, { ...existing, ...onConflict }, Object.keys(onConflict));
    else this.put(key, row, null);
  }

  /** Changes the row if it exists (UPDATE … WHERE key); returns the row before the change. */
  update(key: string, patch: Partial<Table['$inferInsert']>): Readonly<Table['$inferInsert']> | undefined {
    const existing = this.rows.get(key);
    if (existing) this.put(key, { ...existing, ...patch }, Object.keys(patch));
    return existing;
  }

  /** Removes the row if it exists (DELETE … WHERE key). */
  remove(key: string): void {
    const existing = this.rows.get(key);
    if (!existing) return;
    this.rows.delete(key);
    this.changed.delete(key);
    this.removed.set(key, existing);
  }

  /**
   * Writes what the batch changed: removed rows first, then the changed rows: those that were loaded with one
   * UPDATE per chunk, the new ones with one upsert per chunk. An UPDATE joined by key costs PostgreSQL less
   * than half what the upsert's attempted insert and conflict costs for a row that exists (measured on
   * order and search rows), and most rows a rebuild writes exist already: an order is placed in one batch
   * and paid, shipped and delivered in later ones. The UPDATE sets only the columns the batch's changes
   * touched: an order's later events change its status and dates, and sending its lines (a JSON array) back
   * with every change, for PostgreSQL to parse again, cost an `order_detail` rebuild about 7% of its time.
   *
   * Rows go in key order, and a statement's plan is the same for every instance. Two worker instances that
   * apply the same batch (one of them will roll back; see `advanceCheckpoint`) then lock the same rows in the
   * same order, so the second waits for the first instead of the two deadlocking on each other's rows, which
   * happened with rows in the order events first named them.
   */
  async write(tx: OrmTx): Promise<void> {
    const removed = [...this.removed.keys()].sort().map((key) => this.removed.get(key)!);
    if (removed.length > 0) {
      const whereKey = this.whereKey;
      if (!whereKey) throw new Error(`${getTableConfig(this.table).name}: rows were removed but no whereKey was given`);
      for (let from = 0; from < removed.length; from += 500) {
        await tx.delete(this.table).where(or(...removed.slice(from, from + 500).map(whereKey)));
      }
    }
    const existing: Table['$inferInsert'][] = [];
    const added: Table['$inferInsert'][] = [];
    for (const key of [...this.changed].sort()) (this.stored.has(key) ? existing : added).push(this.rows.get(key)!);
    await updateRows(tx, this.table, existing, this.updatedColumns ?? undefined);
    // A new row is still upserted, not inserted: should another worker instance have inserted it since the
    // load, the batch is about to roll back at its checkpoint (see `advanceCheckpoint`), not fail.
    await upsertRows(tx, this.table, added);
  }

  /** `patched`: the columns a change touched, or null for a whole row. */
  private put(key: string, row: Table['$inferInsert'], patched: readonly string[] | null): void {
    this.rows.set(key, row);
    this.changed.add(key);
    this.removed.delete(key);
    if (!this.stored.has(key) || !this.updatedColumns) return;
    if (patched) for (const column of patched) this.updatedColumns.add(column);
    else this.updatedColumns = null;
  }
}

/** Inserts rows, replacing every non-key column of a row that exists. */
async function upsertRows<Table extends PgTable>(
  tx: OrmTx,
  table: Table,
  rows: readonly Table['$inferInsert'][],
): Promise<void> {
  const { keys, set } = shape(table);
  // A row of nothing but its key: an existing one is already what the upsert would make it.
  await insertRows(tx, table, rows, set ? sql`on conflict (${sql.raw(keys)}) do update set ${sql.raw(set)}` : sql`on conflict do nothing`);
}

/**
 * Replaces the non-key columns of existing rows, matched by primary key; rows that do not exist are skipped.
 * `only` limits it to those columns (by property): the others are neither sent nor set.
 */
async function updateRows<Table extends PgTable>(
  tx: OrmTx,
  table: Table,
  rows: readonly Table['$inferInsert'][],
  only?: ReadonlySet<string>,
): Promise<void> {
  const { keyColumns, keyNames, valueColumns } = shape(table);
  const values = only ? valueColumns.filter(([property]) => only.has(property)) : valueColumns;
  // A row of nothing but its key, or a change that touched no column outside it, has nothing to change.
  if (values.length === 0) return;
  const set = values.map(([, name]) => `"${name}" = incoming."${name}"`).join(', ');
  const matches = keyNames.map((name) => `target.${name} = incoming.${name}`).join(' and ');
  await eachChunk([...keyColumns, ...values], rows, (records, count) =>
    tx.execute(
      // The LIMIT tells the planner how many rows come in: it assumes 100 for a set-returning function, and
      // for a live batch's one or two rows against a table of some thousands it chose a hash join over a
      // scan of the whole table instead of a lookup by key per row.
      sql`update ${table} as target set ${sql.raw(set)}
          from (select * from json_populate_recordset(null::${table}, ${records}::text::json) limit ${sql.raw(String(count))})
            as incoming
          where ${sql.raw(matches)}`,
    ),
  );
}

/** Inserts rows, keeping any that already exist (ON CONFLICT DO NOTHING). */
export async function insertRowsIgnoringConflicts<Table extends PgTable>(
  tx: OrmTx,
  table: Table,
  rows: readonly Table['$inferInsert'][],
): Promise<void> {
  await insertRows(tx, table, rows, sql`on conflict do nothing`);
}

/** Rows per statement: a few megabytes of JSON at most. */
const rowsPerStatement = 5_000;

/**
 * A multi-row INSERT whose rows travel as one JSON parameter, unpacked by `json_populate_recordset` into the
 * table's own column types. One bound parameter instead of one per value keeps large batches cheap to build,
 * send and parse, on the PostgreSQL server and on PGlite alike.
 */
async function insertRows<Table extends PgTable>(
  tx: OrmTx,
  table: Table,
  rows: readonly Table['$inferInsert'][],
  onConflict: SQL,
): Promise<void> {
  const { columns, list } = shape(table);
  await eachChunk(columns, rows, (records) =>
    tx.execute(
      sql`insert into ${table} (${sql.raw(list)}) select ${sql.raw(list)}
          from json_populate_recordset(null::${table}, ${records}::text::json) ${onConflict}`,
    ),
  );
}

/** Runs `write` for each chunk of rows, given as one JSON array of records of `columns`, by SQL name. */
async function eachChunk(
  columns: readonly (readonly [string, string])[],
  rows: readonly object[],
  write: (records: string, count: number) => Promise<unknown>,
): Promise<void> {
  for (let from = 0; from < rows.length; from += rowsPerStatement) {
    const records = rows.slice(from, from + rowsPerStatement).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [property, name] of columns) record[name] = (row as Record<string, unknown>)[property] ?? null;
      return record;
    });
    await write(JSON.stringify(records), records.length);
  }
}

type Shape = {
  /** Each writable (not generated) column: its property and its SQL name. */
  columns: [string, string][];
  /** Those of the primary key, and the others. */
  keyColumns: [string, string][];
  valueColumns: [string, string][];
  /** Those SQL names, quoted, comma-separated. */
  list: string;
  /** The primary key's SQL names, for ON CONFLICT. */
  keys: string;
  /** The same names, one by one. */
  keyNames: string[];
  /** The writable columns by property, for a SELECT of a row in its insert shape. */
  selection: Record<string, PgColumn>;
  /** `"column" = excluded."column"` for every writable column outside the key. */
  set: string;
};
const shapes = new WeakMap<PgTable, Shape>();

function shape(table: PgTable): Shape {
  const known = shapes.get(table);
  if (known) return known;
  const config = getTableConfig(table);
  const keyColumns = [...config.columns.filter((column) => column.primary), ...config.primaryKeys.flatMap((key) => key.columns)];
  // The read models name columns by property and let drizzle's snake_case casing derive the SQL name.
  const sqlName = (column: PgColumn) => `"${column.keyAsName ? toSnakeCase(column.name) : column.name}"`;
  const keyNames = keyColumns.map(sqlName);
  const writable = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(([, column]) => !column.generated);
  const columns = writable.map(([property, column]): [string, string] => [property, sqlName(column).slice(1, -1)]);
  // By name: a composite key's columns are copies of the table's own, not the same objects.
  const isKey = ([, name]: [string, string]) => keyNames.includes(`"${name}"`);
  const valueColumns = columns.filter((column) => !isKey(column));
  const made: Shape = {
    columns,
    keyColumns: columns.filter(isKey),
    valueColumns,
    list: writable.map(([, column]) => sqlName(column)).join(', '),
    keys: keyNames.join(', '),
    keyNames,
    selection: Object.fromEntries(writable),
    set: valueColumns.map(([, name]) => `"${name}" = excluded."${name}"`).join(', '),
  };
  shapes.set(table, made);
  return made;
}
