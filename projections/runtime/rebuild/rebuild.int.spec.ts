import { setImmediate } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { catchUp, runConsumers } from '@/db/consumers';
import { readCheckpoint } from '@/db/event-store';
import { cartStreamId, customerStreamId, productStreamId, type ShopEvent } from '@/domain';
import { cartsProjection } from '@/projections/carts/projection';
import { customersProjection } from '@/projections/customers/projection';
import { productCatalogProjection } from '@/projections/product-catalog/projection';
import { listCatalog } from '@/projections/product-catalog/query';
import { catalogProducts } from '@/projections/product-catalog/schema';
import { appendShopEvents, dumpProjection, useShopDatabase, type ShopAppend } from '@/projections/testing';
import { resetProjection } from '../reset';
import type { Projection } from '../projection';
import { projectionRebuilds, readModelVersions } from '../schema';
import { cancelRebuild, claimRebuild, queueVersionRebuilds, requestRebuild, runRebuild, type RebuildProgress } from './rebuild';
import { executeRows, fingerprint, shadowSchema } from './shadow';

const ctx = useShopDatabase();
const silent = pino({ level: 'silent' });
const readModels: readonly Projection[] = [productCatalogProjection, customersProjection, cartsProjection];
const options = { batchSize: 50, instanceId: 'rebuild-spec' };

let minute = 0;
const at = () => new Date(Date.UTC(2026, 0, 5, 9, 0) + (minute += 1) * 60_000).toISOString();

/** A small shop's history: products listed and repriced, customers registered, carts filled. */
function history(prefix: string, count: number): ShopAppend[] {
  const writes: ShopAppend[] = [];
  for (let index = 0; index < count; index++) {
    const productId = `${prefix}-p${index}`;
    const customerId = `${prefix}-c${index}`;
    const cartId = `${prefix}-cart${index}`;
    writes.push({
      streamId: productStreamId(productId),
      events: [
        { type: 'ProductListed', data: { productId, name: `Thing ${index}`, description: 'A thing', category: `cat-${index % 3}`, priceCents: 1_000 + index, stock: 10, listedAt: at() } },
        { type: 'ProductRepriced', data: { productId, previousPriceCents: 1_000 + index, priceCents: 900 + index, repricedAt: at() } },
      ],
    });
    writes.push({ streamId: customerStreamId(customerId), events: [{ type: 'CustomerRegistered', data: { customerId, name: `Customer ${index}`, email: `${customerId}@example.com`, registeredAt: at() } }] });
    const added: ShopEvent = { type: 'CartItemAdded', data: { cartId, customerId, productId, name: `Thing ${index}`, unitPriceCents: 900 + index, quantity: 1, addedAt: at() } };
    writes.push({ streamId: cartStreamId(cartId), events: [added] });
  }
  return writes;
}

async function appendHistory(prefix: string, count: number) {
  for (const write of history(prefix, count)) await appendShopEvents(ctx.store, write);
}

async function liveFingerprints(projections: readonly Projection[] = readModels) {
  const tx = ctx.db.orm;
  const prints: Record<string, unknown> = {};
  for (const table of ['catalog_products', 'customers', 'carts', 'cart_lines']) prints[table] = await fingerprint(tx as never, 'public', table);
  void projections;
  return prints;
}

async function shadowExists(id: number): Promise<boolean> {
  return (await executeRows(ctx.db.orm, sql`select 1 from pg_namespace where nspname = ${shadowSchema(id)}`)).length > 0;
}

afterEach(async () => {
  // Each test starts with no rebuild going and the live read models caught up from zero.
  await ctx.db.orm.delete(projectionRebuilds);
  await ctx.db.orm.delete(readModelVersions);
  for (const projection of readModels) {
    await resetProjection(ctx.db.orm, projection);
    await catchUp(ctx.source, projection, { batchSize: 500 });
  }
});

describe('a rebuild beside the live read model', () => {
  it('swaps under load with no failed read and the same rows as the live one', async () => {
    await appendHistory('load', 60);
    const controller = new AbortController();
    const live = runConsumers(ctx.source, readModels, { batchSize: 20, pollMs: 20, logger: silent, signal: controller.signal });
    let reads = 0;
    const failures: unknown[] = [];
    let emptyReads = 0;
    let served = false;
    const reading = (async () => {
      while (!controller.signal.aborted) {
        try {
          const page = await listCatalog(ctx.db.orm, {});
          reads++;
          // Once the live read model has served its rows, no read may find it empty, swap or not.
          if (page.total > 0) served = true;
          else if (served) emptyReads++;
        } catch (error) {
          failures.push(error);
        }
        // Let timers run between reads: on the embedded database a query can finish without one.
        await setImmediate();
      }
    })();
    const writing = (async () => {
      for (let round = 0; !controller.signal.aborted && round < 40; round++) await appendHistory(`more${round}`, 1);
    })();
    try {
      await expect.poll(async () => (await listCatalog(ctx.db.orm, {})).total, { timeout: 10_000 }).toBeGreaterThan(0);
      const progress: RebuildProgress[] = [];
      const row = await requestRebuild(ctx.db.orm, readModels, 'spec', { holder: options.instanceId });
      const result = await runRebuild(ctx.source, row, readModels, { ...options, onProgress: (step) => progress.push(step) });
      expect(result.status, result.error ?? '').toBe('swapped');
      expect(result.verification?.tables.map((table) => table.table).sort()).toEqual(['cart_lines', 'carts', 'catalog_products', 'customers']);
      for (const table of result.verification!.tables) expect(table.rebuilt).toEqual(table.live);
      expect(progress.some((step) => step.phase === 'building' && step.done > 0 && step.done < step.total)).toBe(true);
      expect(progress.at(-1)?.phase).toBe('swapped');
      expect(await shadowExists(row.id)).toBe(false);
      await writing;
      // The live consumers carry on on the swapped-in tables: afterwards they equal a rebuild from zero.
      for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 20 });
    } finally {
      controller.abort();
      await Promise.all([live, reading, writing]);
    }
    expect(failures).toEqual([]);
    expect(emptyReads).toBe(0);
    expect(reads).toBeGreaterThan(0);
    const after = await Promise.all(readModels.map((projection) => dumpProjection(ctx.db.orm, projection)));
    for (const projection of readModels) {
      await resetProjection(ctx.db.orm, projection);
      await catchUp(ctx.source, projection, { batchSize: 500 });
    }
    expect(await Promise.all(readModels.map((projection) => dumpProjection(ctx.db.orm, projection)))).toEqual(after);
  });

  it('is cancelled between batches, dropping its shadow and leaving the live read model untouched', async () => {
    await appendHistory('cancel', 40);
    for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 500 });
    const before = await liveFingerprints();
    const checkpoint = await readCheckpoint(ctx.db.orm, productCatalogProjection.name);
    const row = await requestRebuild(ctx.db.orm, readModels, 'spec', { holder: options.instanceId });
    let asked = false;
    const result = await runRebuild(ctx.source, row, readModels, {
      ...options,
      batchSize: 10,
      onProgress: (step) => {
        if (step.done > 0 && !asked) {
          asked = true;
          void cancelRebuild(ctx.db.orm, row.id, 'staff:spec');
        }
      },
    });
    expect(result.status).toBe('cancelled');
    expect(result.cancelRequestedBy).toBe('staff:spec');
    expect(await shadowExists(row.id)).toBe(false);
    expect(await liveFingerprints()).toEqual(before);
    expect(await readCheckpoint(ctx.db.orm, productCatalogProjection.name)).toEqual(checkpoint);
  });

  it('fails whole when one read model throws while the others apply beside it, and the live ones stay as they were', async () => {
    await appendHistory('throws', 20);
    for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 500 });
    const before = await liveFingerprints();
    let batches = 0;
    // Fails its second batch, after its first statement, while the other two read models write theirs.
    const failing: typeof customersProjection = {
      ...customersProjection,
      applyBatch: async (tx, events) => {
        await customersProjection.applyBatch(tx, events);
        if (++batches === 2) throw new Error('a customer the read model cannot fold');
      },
    };
    const models: readonly Projection[] = [productCatalogProjection, failing, cartsProjection];
    const row = await requestRebuild(ctx.db.orm, models, 'spec', { holder: options.instanceId });
    const result = await runRebuild(ctx.source, row, models, { ...options, batchSize: 10 });
    expect(result.status).toBe('failed');
    expect(result.error).toBe('Error: a customer the read model cannot fold');
    expect(await shadowExists(row.id)).toBe(false);
    expect(await liveFingerprints()).toEqual(before);
    // The pool's connections came back usable: nothing was left sending on the rolled-back transaction.
    expect(await executeRows(ctx.db.orm, sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it('refuses a second rebuild of a read model already being rebuilt', async () => {
    await requestRebuild(ctx.db.orm, [productCatalogProjection], 'spec');
    await expect(requestRebuild(ctx.db.orm, readModels, 'spec')).rejects.toThrow(/Already being rebuilt: product_catalog/);
  });

  it('keeps the live read model when the rebuild differs from it, and says where', async () => {
    await appendHistory('differ', 10);
    for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 500 });
    await ctx.db.orm.update(catalogProducts).set({ stock: 999 }).where(sql`${catalogProducts.productId} = 'differ-p3'`);
    const row = await requestRebuild(ctx.db.orm, [productCatalogProjection], 'spec', { holder: options.instanceId });
    const result = await runRebuild(ctx.source, row, readModels, options);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/catalog_products \(live (\d+) rows, rebuilt \1, content different\).*bump the read model’s version/);
    const [kept] = await ctx.db.orm.select().from(catalogProducts).where(sql`${catalogProducts.productId} = 'differ-p3'`);
    expect(kept?.stock).toBe(999);
    expect(await shadowExists(row.id)).toBe(false);
  });

  it('is queued by a version bump, swaps with the difference stated and records the new version', async () => {
    await appendHistory('version', 5);
    for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 500 });
    expect(await queueVersionRebuilds(ctx.db.orm, readModels)).toBeNull();
    await ctx.db.orm.update(catalogProducts).set({ stock: 999 });
    const bumped: Projection = { ...productCatalogProjection, version: 2 };
    const queued = await queueVersionRebuilds(ctx.db.orm, [bumped, customersProjection, cartsProjection]);
    expect(queued).toMatchObject({ status: 'queued', projections: ['product_catalog'], reason: 'version 1 → 2 of product_catalog' });
    // Several workers start at once: the second finds it queued.
    expect(await queueVersionRebuilds(ctx.db.orm, [bumped])).toBeNull();
    const claimed = await claimRebuild(ctx.db.orm, 'worker-a');
    expect(claimed?.id).toBe(queued!.id);
    expect(await claimRebuild(ctx.db.orm, 'worker-b')).toBeNull();
    const result = await runRebuild(ctx.source, claimed!, [bumped], { ...options, instanceId: 'worker-a' });
    expect(result.status, result.error ?? '').toBe('swapped');
    expect(result.verification?.changedOnPurpose).toEqual(['product_catalog']);
    const [version] = await ctx.db.orm.select().from(readModelVersions).where(sql`${readModelVersions.projection} = 'product_catalog'`);
    expect(version?.version).toBe(2);
    const stocks = await ctx.db.orm.select({ stock: catalogProducts.stock }).from(catalogProducts);
    expect(stocks.every((row) => row.stock === 10)).toBe(true);
  });

  it('is resumed from its last batch by another instance when its holder stops', async () => {
    await appendHistory('resume', 30);
    for (const projection of readModels) await catchUp(ctx.source, projection, { batchSize: 500 });
    const row = await requestRebuild(ctx.db.orm, readModels, 'spec', { holder: 'worker-that-dies' });
    const dying = new AbortController();
    const stopped = await runRebuild(ctx.source, row, readModels, {
      ...options,
      instanceId: 'worker-that-dies',
      batchSize: 10,
      signal: dying.signal,
      onProgress: (step) => {
        if (step.done >= 20) dying.abort();
      },
    });
    expect(stopped.status).toBe('running');
    expect(stopped.eventsDone).toBeGreaterThanOrEqual(20);
    expect(stopped.eventsTotal).toBeGreaterThan(stopped.eventsDone);
    const resumed = await claimRebuild(ctx.db.orm, 'worker-b', 0);
    expect(resumed?.id).toBe(row.id);
    const result = await runRebuild(ctx.source, resumed!, readModels, { ...options, instanceId: 'worker-b' });
    expect(result.status, result.error ?? '').toBe('swapped');
    for (const table of result.verification!.tables) expect(table.rebuilt).toEqual(table.live);
    const [events] = await executeRows<{ count: string }>(ctx.db.orm, sql`select count(*)::text as count from events`);
    expect(result.eventsDone).toBe(Number(events?.count));
  });
});
