import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../testing';
import { useTestDatabase } from '../testing-hooks';
import { horizonWarnMs, readHorizon } from './horizon';
import type { EventMetadata } from './index';

const metadata: EventMetadata = { correlationId: 'c-1', causationId: 'k-1', actor: 'test', source: 'test' };
const ctx = useTestDatabase();

describe('readHorizon', () => {
  /** A transaction on a connection of its own, named so pg_stat_activity tells it apart, left open until ended. */
  async function openTransaction() {
    const other = postgres(ctx.db.url!, { max: 1, onnotice: () => {}, connection: { application_name: 'horizon-spec' } });
    const connection = await other.reserve();
    await connection`begin`;
    const [row] = await connection<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const pid = row!.pid;
    return {
      connection,
      pid,
      async end(outcome: 'commit' | 'rollback') {
        await connection.unsafe(outcome);
        connection.release();
        await other.end();
      },
    };
  }

  it('says nothing holds the readers back when no transaction is appending', async () => {
    await ctx.store.append(`test-${randomUUID()}`, [{ type: 'Counted', data: { n: 1 } }], { expectedVersion: 'no_stream', metadata });
    expect(await readHorizon(ctx.db.sql)).toEqual({ heldBack: false, holders: [], warnMs: horizonWarnMs, warning: false });
  });

  it.skipIf(testEngine === 'pglite')('names the open transaction that appended, with its session, and warns once it held past the threshold', async () => {
    const open = await openTransaction();
    try {
      await open.connection`
        insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
        values (${randomUUID()}, ${`test-${randomUUID()}`}, 1, 'Counted', ${open.connection.json({ n: 1 })}, ${open.connection.json(metadata)})`;
      // Committed after the open one began: it waits above the horizon, so the readers are held back now.
      await ctx.store.append(`test-${randomUUID()}`, [{ type: 'Counted', data: { n: 2 } }], { expectedVersion: 'no_stream', metadata });

      const fresh = await readHorizon(ctx.db.sql, 60_000);
      expect(fresh.heldBack).toBe(true);
      expect(fresh.warning).toBe(false);
      expect(fresh.holders).toHaveLength(1);
      const [holder] = fresh.holders;
      expect(holder).toMatchObject({ pid: open.pid, applicationName: 'horizon-spec', state: 'idle in transaction', waitEvent: 'Client: ClientRead' });
      expect(holder!.statement).toMatch(/^\s*insert into events/);
      expect(holder!.transactionId).toMatch(/^\d+$/);
      expect(holder!.ageMs).toBeGreaterThanOrEqual(0);

      await new Promise((resolve) => setTimeout(resolve, 60));
      const later = await readHorizon(ctx.db.sql, 50);
      expect(later.holders[0]!.ageMs).toBeGreaterThan(50);
      expect(later.holders[0]!.ageMs).toBeGreaterThan(holder!.ageMs);
      expect(later.warning).toBe(true);
    } finally {
      await open.end('rollback');
    }
    expect(await readHorizon(ctx.db.sql, 50)).toMatchObject({ heldBack: false, holders: [], warning: false });
  });

  it.skipIf(testEngine === 'pglite')('leaves out a transaction that writes only elsewhere (a read model\'s batch), however long it runs', async () => {
    const open = await openTransaction();
    try {
      await open.connection`insert into consumer_checkpoints (consumer, transaction_id, position) values (${`test-${randomUUID()}`}, '0'::xid8, 0)`;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await readHorizon(ctx.db.sql, 10)).toEqual({ heldBack: false, holders: [], warnMs: 10, warning: false });
    } finally {
      await open.end('rollback');
    }
  });

  it.skipIf(testEngine === 'pglite')('cuts a long statement to 500 characters', async () => {
    const open = await openTransaction();
    try {
      const padding = 'x'.repeat(2_000);
      await open.connection.unsafe(
        `insert into events (event_id, stream_id, stream_version, event_type, data, metadata)
         values ($1, $2, 1, 'Counted', $3::text::jsonb, $4::text::jsonb) -- ${padding}`,
        [randomUUID(), `test-${randomUUID()}`, JSON.stringify({ n: 1 }), JSON.stringify(metadata)],
      );
      const { holders } = await readHorizon(ctx.db.sql);
      expect(holders[0]!.pid).toBe(open.pid);
      expect(holders[0]!.statement).toHaveLength(500);
    } finally {
      await open.end('rollback');
    }
  });
});
