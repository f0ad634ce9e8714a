import { MessageChannel } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './client';
import { openEmbedded, type EmbeddedDatabase } from './embedded';
import { bridgedEmbedded, serveEmbedded } from './embedded-bridge';
import { databaseError } from './sql';

/**
 * What the bridge must keep of PGlite when the web thread reaches it from another thread. The int-pglite run
 * sends every other spec through it as well (db/testing.ts); these are the parts only a bridge can get wrong.
 */
describe('the embedded database over a MessagePort', () => {
  let embedded: EmbeddedDatabase;
  let bridged: Database;

  beforeAll(async () => {
    embedded = await openEmbedded(null);
    await embedded.sql.query('create table notes (id int primary key, body text not null)');
  });
  afterAll(() => embedded.close());

  beforeEach(async () => {
    await embedded.sql.query('truncate notes');
    const { port1, port2 } = new MessageChannel();
    serveEmbedded(embedded.pglite, port2);
    bridged = bridgedEmbedded(port1);
  });
  afterEach(() => bridged.close());

  it('runs nothing else inside an open transaction: a statement from outside waits for it to end', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = bridged.sql.transaction(async (tx) => {
      await tx.query('insert into notes values (1, $1)', ['inside']);
      await held;
      await tx.query('insert into notes values (2, $1)', ['inside']);
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = bridged.sql.query<{ count: number }>('select count(*)::int as count from notes');
    const outsideFirst = await Promise.race([outside.then(() => 'outside'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 100))]);
    expect(outsideFirst).toBe('waiting');
    release();
    await transaction;
    expect(await outside).toEqual([{ count: 2 }]);
  });

  it('rolls back when the work throws, and the error is the one thrown', async () => {
    const failure = bridged.sql.transaction(async (tx) => {
      await tx.query('insert into notes values (1, $1)', ['lost']);
      throw new Error('changed my mind');
    });
    await expect(failure).rejects.toThrow('changed my mind');
    expect(await bridged.sql.query('select * from notes')).toEqual([]);
  });

  it('carries a failed statement’s PostgreSQL code and constraint across, and the database goes on', async () => {
    await bridged.sql.query('insert into notes values (1, $1)', ['first']);
    const duplicate = await bridged.sql
      .transaction((tx) => tx.query('insert into notes values (1, $1)', ['second']))
      .then(() => null, (error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Error);
    expect(databaseError(duplicate)).toMatchObject({ code: '23505', constraint: 'notes_pkey' });
    expect(await bridged.sql.query('select body from notes')).toEqual([{ body: 'first' }]);
  });

  it('gives drizzle dates and numbers as PGlite does on its own thread', async () => {
    const query = "select now()::timestamptz as at, 12.50::numeric as price, '{1.5,2}'::numeric[] as prices";
    const rowOf = async (db: Database) => ((await db.orm.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows[0];
    const direct = await rowOf(embedded);
    const viaBridge = await rowOf(bridged);
    expect(typeof viaBridge?.at).toBe('string');
    expect({ ...viaBridge, at: null }).toEqual({ ...direct, at: null });
  });

  it('delivers notifications to every listener of a channel until the last one stops', async () => {
    const heard: string[] = [];
    const stopFirst = await bridged.sql.listen('bridge_test', () => heard.push('first'));
    const stopSecond = await bridged.sql.listen('bridge_test', () => heard.push('second'));
    await embedded.sql.query('notify bridge_test');
    await expect.poll(() => [...heard].sort()).toEqual(['first', 'second']);
    await stopFirst();
    await embedded.sql.query('notify bridge_test');
    await expect.poll(() => heard.length).toBe(3);
    expect(heard[2]).toBe('second');
    await stopSecond();
    await embedded.sql.query('notify bridge_test');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toHaveLength(3);
  });

  it('refuses statements clearly once the database’s side has gone', async () => {
    await bridged.close();
    await expect(bridged.sql.query('select 1')).rejects.toThrow(/no longer reachable/);
  });
});
