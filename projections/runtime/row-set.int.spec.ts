import { and, asc, eq, type SQL } from 'drizzle-orm';
import { getTableConfig, integer, PgDialect, pgTable, primaryKey, text, type PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { useShopDatabase } from '@/projections/testing';
import { RowSet } from './row-set';

/**
 * RowSet against a real table: a batch's net result must equal what its statements, run one by one, would
 * have left. Each kind of write goes its own way (a DELETE, an UPDATE for loaded rows, an upsert for new
 * ones), so each sequence on one key within a batch is checked here on a composite key and a key-only table.
 */
const lines = pgTable(
  'scratch_lines',
  { cartId: text().notNull(), productId: text().notNull(), quantity: integer().notNull() },
  (table) => [primaryKey({ columns: [table.cartId, table.productId] })],
);
const tags = pgTable('scratch_tags', { tag: text().primaryKey() });
const notes = pgTable('scratch_notes', { id: text().primaryKey(), title: text().notNull(), body: text().notNull() });

const ctx = useShopDatabase(async ({ db }) => {
  await db.sql.query(
    'create table scratch_lines (cart_id text, product_id text, quantity integer not null, primary key (cart_id, product_id))',
  );
  await db.sql.query('create table scratch_tags (tag text primary key)');
  await db.sql.query('create table scratch_notes (id text primary key, title text not null, body text not null)');
});

const lineKey = (row: typeof lines.$inferInsert) => `${row.cartId}/${row.productId}`;
const lineSet = () =>
  new RowSet(lines, lineKey, (row) => and(eq(lines.cartId, row.cartId), eq(lines.productId, row.productId))!);

async function storedLines() {
  return ctx.db.orm.select().from(lines).orderBy(asc(lines.cartId), asc(lines.productId));
}

/** Loads the carts' lines, lets `fold` change them, and writes the result, in one transaction. */
async function batch(carts: string[], fold: (rows: ReturnType<typeof lineSet>) => void) {
  await ctx.db.orm.transaction(async (tx) => {
    const rows = lineSet();
    await rows.load(tx, lines.cartId, carts);
    fold(rows);
    await rows.write(tx);
  });
}

/** Like `batch`, for any table; returns the SQL of the statements `write` sent. */
async function batchOf<Table extends PgTable>(
  table: Table,
  keys: string[],
  open: () => RowSet<Table>,
  fold: (rows: RowSet<Table>) => void,
): Promise<string[]> {
  const dialect = new PgDialect({ casing: 'snake_case' });
  const sent: string[] = [];
  await ctx.db.orm.transaction(async (tx) => {
    const rows = open();
    await rows.load(tx, getTableConfig(table).columns.find((column) => column.primary)!, keys);
    fold(rows);
    const recording = new Proxy(tx, {
      get: (target, property, receiver) =>
        property === 'execute'
          ? (query: SQL) => {
              sent.push(dialect.sqlToQuery(query).sql.replace(/\s+/g, ' '));
              return target.execute(query);
            }
          : Reflect.get(target, property, receiver),
    });
    await rows.write(recording);
  });
  return sent;
}

describe('RowSet', () => {
  it('writes loaded, new, removed and re-added rows as the statements one by one would', async () => {
    await ctx.db.orm.insert(lines).values([
      { cartId: 'c1', productId: 'mug', quantity: 1 },
      { cartId: 'c1', productId: 'lamp', quantity: 1 },
      { cartId: 'c1', productId: 'vase', quantity: 1 },
    ]);
    await batch(['c1', 'c2'], (rows) => {
      // Loaded, changed: an UPDATE.
      rows.update('c1/mug', { quantity: 3 });
      // Loaded, removed, then added again with other values: an UPDATE, not a DELETE.
      rows.remove('c1/lamp');
      rows.insert({ cartId: 'c1', productId: 'lamp', quantity: 5 });
      // Loaded and removed: a DELETE.
      rows.remove('c1/vase');
      // New, then changed: one upsert with the final values.
      rows.insert({ cartId: 'c2', productId: 'mug', quantity: 1 });
      rows.update('c2/mug', { quantity: 2 });
      // New, then removed: nothing at all.
      rows.insert({ cartId: 'c2', productId: 'vase', quantity: 1 });
      rows.remove('c2/vase');
      // An insert of a loaded key keeps the existing row (ON CONFLICT DO NOTHING).
      rows.insert({ cartId: 'c1', productId: 'mug', quantity: 9 });
      // An update of a missing row does nothing.
      rows.update('c2/lamp', { quantity: 4 });
    });
    expect(await storedLines()).toEqual([
      { cartId: 'c1', productId: 'lamp', quantity: 5 },
      { cartId: 'c1', productId: 'mug', quantity: 3 },
      { cartId: 'c2', productId: 'mug', quantity: 2 },
    ]);
  });

  it('updates only the columns changes touched, and every column of a row replaced whole', async () => {
    await ctx.db.orm.insert(notes).values([
      { id: 'a', title: 'first', body: 'one' },
      { id: 'b', title: 'second', body: 'two' },
    ]);
    const noteSet = () => new RowSet(notes, (row) => row.id, (row) => eq(notes.id, row.id));
    // Touched columns only: the UPDATE sets the title and leaves the body alone, as neither row's body changed.
    expect(
      await batchOf(notes, ['a', 'b'], noteSet, (rows) => {
        rows.update('a', { title: 'first, retitled' });
        rows.upsert({ id: 'b', title: 'unused', body: 'unused' }, { title: 'second, retitled' });
      }),
    ).toEqual([expect.stringMatching(/set "title" = incoming\."title" from/)]);
    // A loaded row removed and added again is replaced whole: every column is set.
    expect(
      await batchOf(notes, ['b'], noteSet, (rows) => {
        rows.update('b', { title: 'second, once more' });
        rows.remove('b');
        rows.insert({ id: 'b', title: 'new second', body: 'new two' });
      }),
    ).toEqual([expect.stringMatching(/set "title" = incoming\."title", "body" = incoming\."body" from/)]);
    expect(await ctx.db.orm.select().from(notes).orderBy(asc(notes.id))).toEqual([
      { id: 'a', title: 'first, retitled', body: 'one' },
      { id: 'b', title: 'new second', body: 'new two' },
    ]);
  });

  it('writes a table whose rows are nothing but their key', async () => {
    await ctx.db.orm.insert(tags).values({ tag: 'old' });
    await ctx.db.orm.transaction(async (tx) => {
      const rows = new RowSet(tags, (row) => row.tag, (row) => eq(tags.tag, row.tag));
      await rows.load(tx, tags.tag, ['old', 'new']);
      rows.upsert({ tag: 'old' }, {});
      rows.upsert({ tag: 'new' }, {});
      await rows.write(tx);
    });
    expect(await ctx.db.orm.select().from(tags).orderBy(asc(tags.tag))).toEqual([{ tag: 'new' }, { tag: 'old' }]);
  });
});
