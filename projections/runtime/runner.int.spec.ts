import { asc, like, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { encodeToken, type EventStore } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { customerStreamId } from '@/domain';
import { appendShopEvents } from '../testing';
import { readCheckpoint, readCheckpointToken } from './checkpoints';
import { defineProjection } from './projection';
import { runProjector } from './projector';
import { batcher, catchUp, resetProjection } from './runner';

/**
 * A scratch read model that counts how often each event was applied, so "exactly once" is a row count of 1
 * rather than an absence of visible damage. It lives only in this file's own database.
 */
const applications = pgTable('scratch_applications', {
  customerId: text().primaryKey(),
  applied: integer().notNull(),
});

/** The customer whose registration the handler refuses, while set. */
let refuse: string | null = null;

const counting = defineProjection({
  name: 'scratch_counting',
  tables: [applications],
  handlers: {
    CustomerRegistered: async (tx, { data }) => {
      await tx
        .insert(applications)
        .values({ customerId: data.customerId, applied: 1 })
        .onConflictDoUpdate({ target: applications.customerId, set: { applied: sql`${applications.applied} + 1` } });
      if (data.customerId === refuse) throw new Error(`refused ${data.customerId}`);
    },
  },
});

const ctx = useTestDatabase(async ({ db }) => {
  await db.sql.query('create table scratch_applications (customer_id text primary key, applied integer not null)');
});

const register = (...ids: string[]) =>
  appendShopEvents(
    ctx.store,
    ids.map((customerId) => ({
      streamId: customerStreamId(customerId),
      events: [
        {
          type: 'CustomerRegistered' as const,
          data: {
            customerId,
            name: customerId,
            email: `${customerId}@example.com`,
            registeredAt: '2025-03-01T09:00:00.000Z',
          },
        },
      ],
    })),
  );

/** The log is shared by the tests of this file, so each one looks at the rows of its own customers. */
const rows = (prefix = '') =>
  ctx.db.orm
    .select()
    .from(applications)
    .where(like(applications.customerId, `${prefix}%`))
    .orderBy(asc(applications.customerId));
const appliedOnce = (...ids: string[]) => ids.map((customerId) => ({ customerId, applied: 1 }));

describe('projection runner', () => {
  it('applies every event once and moves the checkpoint to the last one read', async () => {
    const last = await register('a-1', 'a-2', 'a-3');
    expect(await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 })).toBe(3);
    expect(await rows('a-')).toEqual(appliedOnce('a-1', 'a-2', 'a-3'));
    expect(await readCheckpointToken(ctx.db.orm, counting.name)).toBe(encodeToken(last));

    expect(await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 })).toBe(0);
    expect(await rows('a-')).toEqual(appliedOnce('a-1', 'a-2', 'a-3'));
  });

  it('leaves rows and checkpoint as they were when the second event of a batch fails', async () => {
    await register('b-1', 'b-2');
    await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 });
    const before = { rows: await rows('b-'), checkpoint: await readCheckpoint(ctx.db.orm, counting.name) };

    const last = await register('b-3', 'b-4');
    refuse = 'b-4';
    // b-3 was written inside the batch's transaction before b-4 failed; the rollback must take it back out.
    await expect(batcher(ctx.db.orm, ctx.store, counting, { batchSize: 2 }).next()).rejects.toThrow(/refused b-4/);
    expect({ rows: await rows('b-'), checkpoint: await readCheckpoint(ctx.db.orm, counting.name) }).toEqual(before);

    // A retry after the fault applies the whole batch, and b-3 still only once.
    refuse = null;
    expect(await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 })).toBe(2);
    expect(await rows('b-')).toEqual(appliedOnce('b-1', 'b-2', 'b-3', 'b-4'));
    expect(await readCheckpointToken(ctx.db.orm, counting.name)).toBe(encodeToken(last));
  });

  it('applies each event once when two projector instances catch up at the same time', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    const last = await register(...ids);
    await Promise.all([1, 2, 3].map(() => catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 })));
    expect(await rows('c-')).toEqual(appliedOnce(...ids));
    expect(await readCheckpointToken(ctx.db.orm, counting.name)).toBe(encodeToken(last));
  });

  it('reads again after a read-ahead fails, instead of repeating the failure', async () => {
    const ids = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5'];
    await register(...ids);
    let reads = 0;
    // The second read is the one made ahead while the first full batch is applied.
    const flaky: EventStore = {
      ...ctx.store,
      readAll: (options) => (++reads === 2 ? Promise.reject(new Error('connection reset')) : ctx.store.readAll(options)),
    };
    const batches = batcher(ctx.db.orm, flaky, counting, { batchSize: 2 });
    expect((await batches.next()).read).toBe(2);
    await expect(batches.next()).rejects.toThrow(/connection reset/);
    while ((await batches.next()).read > 0);
    expect(await rows('f-')).toEqual(appliedOnce(...ids));
  });

  it('rebuilds from zero after a reset', async () => {
    const last = await register('d-1');
    await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 2 });
    const built = await rows();

    await resetProjection(ctx.db.orm, counting);
    expect(await rows()).toEqual([]);
    expect(await readCheckpointToken(ctx.db.orm, counting.name)).toBe(encodeToken({ transactionId: 0, position: 0 }));

    await catchUp(ctx.db.orm, ctx.store, counting, { batchSize: 1_000 });
    expect(await rows()).toEqual(built);
    expect(await readCheckpointToken(ctx.db.orm, counting.name)).toBe(encodeToken(last));
  });
});

describe('runProjector', () => {
  it('applies a backlog and then what arrives while it runs, each event once', async () => {
    const backlog = Array.from({ length: 7 }, (_, i) => `e-${i}`);
    await register(...backlog);
    const controller = new AbortController();
    // Batches of 3: the backlog is applied in full batches, each read ahead while the one before is applied.
    const running = runProjector(ctx.db, [counting], {
      batchSize: 3,
      pollMs: 50,
      logger: pino({ level: 'silent' }),
      signal: controller.signal,
    });
    try {
      const last = await register('e-live-1', 'e-live-2');
      await expect
        .poll(() => readCheckpointToken(ctx.db.orm, counting.name), { timeout: 10_000 })
        .toBe(encodeToken(last));
      expect(await rows('e-')).toEqual(appliedOnce(...backlog, 'e-live-1', 'e-live-2'));
    } finally {
      controller.abort();
      await running;
    }
  });
});
