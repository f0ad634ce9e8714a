import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './client';
import { openEmbedded } from './embedded';
import { bridgedEmbedded, serveEmbedded } from './embedded-bridge';
import { databaseError } from './sql';

type Bridge = { db: Database; close: () => Promise<void> };

/** The far side on this thread, as the int-pglite run uses it (db/testing.ts). */
async function onThisThread(): Promise<Bridge> {
  const embedded = await openEmbedded(null);
  const { port1, port2 } = new MessageChannel();
  serveEmbedded(embedded.pglite, port2);
  const db = bridgedEmbedded(port1);
  return { db, close: async () => (await db.close(), await embedded.close()) };
}

/** The far side on a worker thread, as the web server runs it. */
async function onAWorkerThread(): Promise<Bridge> {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(fileURLToPath(new URL('../server/main/embedded-thread-boot.mjs', import.meta.url)), {
    workerData: { entry: fileURLToPath(new URL('./embedded-bridge.fixture.ts', import.meta.url)), database: port2 },
    transferList: [port2],
  });
  const db = bridgedEmbedded(port1);
  return { db, close: async () => (await db.close(), await thread.terminate(), undefined) };
}

/**
 * What the bridge must keep of PGlite when the web thread reaches it from another thread. The int-pglite run
 * sends every other spec through it as well (db/testing.ts); these are the parts only a bridge can get wrong.
 */
describe.each([
  ['on the same thread', onThisThread],
  ['on a worker thread', onAWorkerThread],
])('the embedded database over a MessagePort, %s', (_, open) => {
  let bridge: Bridge;
  let bridged: Database;

  beforeAll(async () => {
    bridge = await open();
    bridged = bridge.db;
    await bridged.sql.query('create table notes (id int primary key, body text not null)');
  });
  afterAll(() => bridge.close());
  beforeEach(() => bridged.sql.query('truncate notes'));

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

  it('gives drizzle dates, numbers and numeric arrays as the text PostgreSQL sent, as PGlite does for it', async () => {
    const query = "select '2026-12-02 10:00:00+00'::timestamptz as at, 12.50::numeric as price, '{1.5,2}'::numeric[] as prices, 7::int as n";
    const [row] = ((await bridged.orm.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
    expect(row).toEqual({ at: '2026-12-02 10:00:00+00', price: '12.50', prices: '{1.5,2}', n: 7 });
  });

  it('delivers notifications to every listener of a channel until the last one stops', async () => {
    const heard: string[] = [];
    const stopFirst = await bridged.sql.listen('bridge_test', () => heard.push('first'));
    const stopSecond = await bridged.sql.listen('bridge_test', () => heard.push('second'));
    await bridged.sql.query('notify bridge_test');
    await expect.poll(() => [...heard].sort()).toEqual(['first', 'second']);
    await stopFirst();
    await bridged.sql.query('notify bridge_test');
    await expect.poll(() => heard.length).toBe(3);
    expect(heard[2]).toBe('second');
    await stopSecond();
    await bridged.sql.query('notify bridge_test');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toHaveLength(3);
  });

  it('refuses statements clearly once the database’s side has gone', async () => {
    const gone = await open();
    await gone.close();
    await expect(gone.db.sql.query('select 1')).rejects.toThrow(/no longer reachable/);
  });
});

describe('the far side of the bridge', () => {
  it('rolls back a transaction the near side left open when it goes, so PGlite is free again', async () => {
    const embedded = await openEmbedded(null);
    try {
      await embedded.sql.query('create table notes (id int primary key, body text not null)');
      const { port1, port2 } = new MessageChannel();
      serveEmbedded(embedded.pglite, port2);
      const bridged = bridgedEmbedded(port1);
      let inside!: () => void;
      const opened = new Promise<void>((resolve) => (inside = resolve));
      const abandoned = bridged.sql.transaction(async (tx) => {
        await tx.query('insert into notes values (1, $1)', ['never committed']);
        inside();
        await new Promise(() => {});
      });
      abandoned.catch(() => {});
      await opened;
      await bridged.close();
      expect(await embedded.sql.query('select count(*)::int as count from notes')).toEqual([{ count: 0 }]);
    } finally {
      await embedded.close();
    }
  });
});
