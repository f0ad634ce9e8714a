import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { productStreamId, customerStreamId, orderStreamId, cartStreamId } from '@/domain';
import { projections } from '@/projections';
import { resetProjection } from '@/projections/runtime/reset';
import { textSearchProjection } from '@/projections/text-search/projection';
import { appendShopEvents, dumpProjection, metadata, orderEvents, useShopDatabase } from '@/projections/testing';
import { hasReached, readCheckpoint } from '../event-store';
import { events } from '../schema/event-store';
import { testEngine } from '../testing';
import { catchUp } from './catch-up';
import { defaultLeaseTimings } from './leases';
import { ledgerName } from './lease-ledger.fixture';
import { readConsumerStatus } from './status';
import { applications, createApplicationsTable } from './testing';

/**
 * The fault test: three worker processes share the shop's PostgreSQL read models by lease while
 * events are appended steadily, and every few seconds one of them is killed with SIGKILL (no release, no
 * clean-up: its leases must expire) and a new one started. Afterwards the read models equal a rebuild from
 * zero and the ledger counts every event once.
 */
const ctx = useShopDatabase(async ({ db }) => {
  await db.sql.query(createApplicationsTable);
});
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const readModels = [...projections, textSearchProjection];
const loadMs = Number(process.env.LEASE_FAULT_MS ?? 30_000);
const killEveryMs = 3_000;

function startWorker(id: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/consumers/lease-worker.fixture.ts', ctx.db.url!, id], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** One user action's worth of events: a product, a customer, a cart and a paid order, in one transaction. */
async function appendAction(n: number): Promise<void> {
  const productId = `p-${n}`;
  const customerId = `c-${n}`;
  const orderId = `o-${n}`;
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  const line = { productId, name: `Product ${n}`, unitPriceCents: 100 + n, quantity: 1 + (n % 3) };
  await appendShopEvents(
    ctx.store,
    [
      { streamId: productStreamId(productId), events: [{ type: 'ProductListed', data: { productId, name: line.name, description: 'A thing', category: `cat-${n % 4}`, priceCents: line.unitPriceCents, stock: 10, listedAt: at } }] },
      { streamId: customerStreamId(customerId), events: [{ type: 'CustomerRegistered', data: { customerId, name: `Customer ${n}`, email: `${customerId}@example.com`, registeredAt: at } }] },
      { streamId: cartStreamId(`cart-${n}`), events: [{ type: 'CartItemAdded', data: { cartId: `cart-${n}`, customerId, ...line, addedAt: at } }] },
      { streamId: orderStreamId(orderId), events: orderEvents({ orderId, customerId, lines: [line], placedAt: at, then: n % 5 === 0 ? ['OrderCancelled'] : ['OrderPaid', 'OrderShipped'] }) },
    ],
    metadata(`lease-fault-${n}`),
  );
}

describe.skipIf(testEngine === 'pglite')('several workers under leases', () => {
  it('survive one of three being killed every few seconds: read models equal a rebuild, no event applied twice', { timeout: loadMs + 120_000 }, async () => {
    const workers = new Map<string, ChildProcess>();
    const start = () => {
      const id = `worker-${randomUUID().slice(0, 6)}`;
      workers.set(id, startWorker(id));
    };
    for (let i = 0; i < 3; i++) start();
    const holdersSeen = new Set<string>();
    let kills = 0;
    let actions = 0;
    const end = Date.now() + loadMs;
    let nextKill = Date.now() + killEveryMs;
    try {
      while (Date.now() < end) {
        // A steady load: about 25 user actions (125+ events) a second.
        await appendAction(actions++);
        await sleep(40);
        if (Date.now() >= nextKill) {
          const [id, victim] = [...workers.entries()][Math.floor(Math.random() * workers.size)]!;
          victim.kill('SIGKILL');
          await once(victim, 'exit');
          workers.delete(id);
          kills++;
          start();
          nextKill = Date.now() + killEveryMs;
        }
        if (actions % 25 === 0) {
          for (const row of await readConsumerStatus(ctx.db.orm)) if (row.holder) holdersSeen.add(row.holder);
        }
      }
      // The survivors take the dead workers' leases once they expire and catch up with the log.
      const head = await ctx.store.readHead();
      const caughtUpBy = Date.now() + defaultLeaseTimings.ttlMs * 4;
      for (const readModel of [...readModels.map((r) => r.name), ledgerName]) {
        while (!hasReached(await readCheckpoint(ctx.db.orm, readModel), head!)) {
          if (Date.now() > caughtUpBy) throw new Error(`${readModel} did not catch up: its lease was not taken over`);
          await sleep(100);
        }
      }
    } finally {
      for (const child of workers.values()) child.kill('SIGTERM');
      await Promise.all([...workers.values()].map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
    }
    expect(kills).toBeGreaterThanOrEqual(Math.floor(loadMs / killEveryMs) - 1);
    // Killed workers' consumers were run by others: more instances held leases than ever ran at once.
    expect(holdersSeen.size).toBeGreaterThan(3);
    // A graceful stop released every lease at once.
    const status = await readConsumerStatus(ctx.db.orm);
    expect(status.filter((row) => row.holder !== null)).toEqual([]);

    const handled = await ctx.db.orm
      .select({ n: count() })
      .from(events)
      .where(inArray(events.eventType, ['ProductListed', 'CustomerRegistered', 'OrderPlaced', 'OrderPaid', 'CartItemAdded']));
    const ledger = await ctx.db.orm.select().from(applications).where(eq(applications.consumer, ledgerName));
    expect(ledger.length).toBe(handled[0]!.n);
    expect(ledger.filter((row) => row.applied !== 1)).toEqual([]);

    for (const readModel of readModels) {
      const incremental = await dumpProjection(ctx.db.orm, readModel);
      await resetProjection(ctx.db.orm, readModel);
      await catchUp(ctx.source, readModel, { batchSize: 1_000 });
      expect(await dumpProjection(ctx.db.orm, readModel), `${readModel.name} equals its rebuild`).toEqual(incremental);
    }
  });
});
