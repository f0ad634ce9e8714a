import { and, desc, eq, inArray, or, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Orm, OrmTx } from '@/db/client';
import {
  compareLogPositions,
  encodeToken,
  logStart,
  type EventStore,
  type LogPosition,
  type StoredEvent,
} from '@/db/event-store';
import { consumerCheckpoints } from '@/db/schema/event-store';
import type { Projection } from '../projection';
import { projectionRebuilds, readModelVersions, type ProjectionRebuildRow, type RebuildVerification } from '../schema';
import {
  createShadowTables,
  dropShadow,
  executeRows,
  fingerprint,
  lockLiveTables,
  shadowSchema,
  swapTables,
  tableNames,
  useLive,
  useShadow,
} from './shadow';

/**
 * Zero-downtime rebuilds of PostgreSQL read models (docs/projections.md, "Rebuilding without downtime"):
 *
 * 1. **Build beside.** The rebuild reads the log from position zero, once for all the read models it covers,
 *    and applies each batch to their shadow tables (./shadow.ts) in one transaction with its own checkpoint
 *    (the rebuild's row). The live read models go on serving and applying the log all the while.
 * 2. **Catch up.** Once a read finds the log's head, the rebuild reads what lies between it and the live
 *    read models' checkpoints, ahead of taking any lock.
 * 3. **Verify and swap**, in one transaction: lock the live tables (readers and the live batch wait, for as
 *    long as this transaction runs), bring the shadow and each live read model to the same position P from
 *    the events read in step 2, compare every table's row count and content hash, then drop each live table,
 *    move its shadow into its place and set the live checkpoint to P. A reader waiting on the lock reads the
 *    new table when it is released; none fails. A difference fails the rebuild and leaves the live tables as
 *    they were, unless the read model's version changed, which states the difference on purpose.
 *
 * A rebuild can be cancelled between batches (its shadow is dropped; the live read model never noticed), and
 * one whose process died is resumed from its last batch by the next instance that looks (`claimRebuild`).
 */

export type RebuildStatus = 'queued' | 'running' | 'swapped' | 'cancelled' | 'failed';
export const activeStatuses: readonly RebuildStatus[] = ['queued', 'running'];

/** A rebuild is taken over when its holder has not renewed it for this long (a batch renews it). */
export const rebuildStaleMs = 30_000;

export type RebuildSource = { readonly orm: Orm; readonly store: EventStore };

export type RebuildProgress = {
  readonly id: number;
  readonly projections: readonly string[];
  readonly done: number;
  readonly total: number;
  readonly phase: 'building' | 'swapping' | 'swapped' | 'cancelled' | 'failed';
};

export type RebuildOptions = {
  /** Events per batch: large batches fold more of a stream's events into one write of its rows. */
  readonly batchSize: number;
  /** This process's id (`host:pid:suffix`), written as the holder. */
  readonly instanceId: string;
  readonly signal?: AbortSignal;
  /** Artificial pause before each batch, as the consumers' `CONSUMER_DELAY_MS` (demos, the end-to-end suite). */
  readonly delayMs?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
};

export class RebuildConflictError extends Error {
  constructor(readonly busy: readonly string[]) {
    super(`Already being rebuilt: ${busy.join(', ')}. Wait for that rebuild to finish, or cancel it.`);
    this.name = 'RebuildConflictError';
  }
}

/** What a rebuild is asked for by: a read model's name, and the version of its code (default 1). */
export type Rebuildable = { readonly name: string; readonly version?: number };

const versionOf = (projection: Rebuildable) => projection.version ?? 1;

/**
 * Asks for a rebuild of these read models, all at once (one read of the log). Refused with a
 * `RebuildConflictError` while any of them is in a rebuild already. With `holder`, the caller runs it itself
 * (the terminal command) and it starts running at once; otherwise it is queued for the workers.
 */
export async function requestRebuild(
  orm: Orm,
  readModels: readonly Rebuildable[],
  reason: string,
  options: { readonly holder?: string } = {},
): Promise<ProjectionRebuildRow> {
  if (readModels.length === 0) throw new Error('A rebuild needs at least one read model.');
  const names = readModels.map((projection) => projection.name);
  return orm.transaction(async (tx) => {
    // Two requests at once must not both find the read model free: this lock orders them.
    await tx.execute(sql`lock table ${projectionRebuilds} in share row exclusive mode`);
    const busy = await tx
      .select({ projections: projectionRebuilds.projections })
      .from(projectionRebuilds)
      .where(and(inArray(projectionRebuilds.status, [...activeStatuses]), sql`${projectionRebuilds.projections} && ${textArray(names)}`));
    const taken = [...new Set(busy.flatMap((row) => row.projections))].filter((name) => names.includes(name));
    if (taken.length > 0) throw new RebuildConflictError(taken);
    const [row] = await tx
      .insert(projectionRebuilds)
      .values({
        projections: names,
        status: options.holder ? 'running' : 'queued',
        reason,
        versions: Object.fromEntries(readModels.map((projection) => [projection.name, versionOf(projection)])),
        holder: options.holder ?? null,
        startedAt: options.holder ? sql`now()` : null,
        heartbeatAt: options.holder ? sql`now()` : null,
        ...logStart,
      })
      .returning();
    return row!;
  });
}

/**
 * Asks a rebuild to stop. A queued one is cancelled at once; a running one stops after the batch in hand and
 * drops its shadow tables. False when there is no such rebuild still going.
 */
export async function cancelRebuild(orm: Orm, id: number, by: string): Promise<boolean> {
  const [queued] = await orm
    .update(projectionRebuilds)
    .set({ status: 'cancelled', cancelRequestedAt: sql`now()`, cancelRequestedBy: by, finishedAt: sql`now()` })
    .where(and(eq(projectionRebuilds.id, id), eq(projectionRebuilds.status, 'queued')))
    .returning({ id: projectionRebuilds.id });
  if (queued) return true;
  const [running] = await orm
    .update(projectionRebuilds)
    .set({ cancelRequestedAt: sql`coalesce(${projectionRebuilds.cancelRequestedAt}, now())`, cancelRequestedBy: by })
    .where(and(eq(projectionRebuilds.id, id), eq(projectionRebuilds.status, 'running')))
    .returning({ id: projectionRebuilds.id });
  return Boolean(running);
}

/**
 * Takes the oldest queued rebuild, or a running one whose holder stopped renewing it, for `instanceId`: one
 * statement, so of several instances exactly one gets it.
 */
export async function claimRebuild(orm: Orm, instanceId: string, staleMs = rebuildStaleMs): Promise<ProjectionRebuildRow | null> {
  const waiting = orm
    .select({ id: projectionRebuilds.id })
    .from(projectionRebuilds)
    .where(
      or(
        eq(projectionRebuilds.status, 'queued'),
        and(eq(projectionRebuilds.status, 'running'), sql`${projectionRebuilds.heartbeatAt} < now() - make_interval(secs => ${staleMs / 1000})`),
      ),
    )
    .orderBy(projectionRebuilds.requestedAt)
    .limit(1)
    .for('update', { skipLocked: true });
  const [row] = await orm
    .update(projectionRebuilds)
    .set({
      status: 'running',
      holder: instanceId,
      heartbeatAt: sql`now()`,
      startedAt: sql`coalesce(${projectionRebuilds.startedAt}, now())`,
    })
    .where(inArray(projectionRebuilds.id, waiting))
    .returning();
  return row ?? null;
}

/** The rebuilds still going, then the latest finished ones: what the console shows. */
export async function listRebuilds(orm: Orm, finished = 5): Promise<ProjectionRebuildRow[]> {
  const active = await orm
    .select()
    .from(projectionRebuilds)
    .where(inArray(projectionRebuilds.status, [...activeStatuses]))
    .orderBy(projectionRebuilds.requestedAt);
  const done = await orm
    .select()
    .from(projectionRebuilds)
    .where(sql`${projectionRebuilds.status} <> all(${textArray(activeStatuses)})`)
    .orderBy(desc(projectionRebuilds.id))
    .limit(finished);
  return [...active, ...done];
}

/**
 * Records the version each read model's live tables were built with the first time it is seen, and queues
 * one rebuild for every read model whose code now declares a higher version (a deploy that bumped it). Called
 * by each worker at start; of several, the first queues it and the others find it queued.
 */
export async function queueVersionRebuilds(orm: Orm, readModels: readonly Projection[]): Promise<ProjectionRebuildRow | null> {
  if (readModels.length === 0) return null;
  await orm
    .insert(readModelVersions)
    .values(readModels.map((projection) => ({ projection: projection.name, version: versionOf(projection) })))
    .onConflictDoNothing();
  const built = await orm.select().from(readModelVersions).where(inArray(readModelVersions.projection, readModels.map((p) => p.name)));
  const behind = readModels.filter((projection) => {
    const live = built.find((row) => row.projection === projection.name);
    return live !== undefined && live.version < versionOf(projection);
  });
  if (behind.length === 0) return null;
  const active = await orm
    .select({ projections: projectionRebuilds.projections, versions: projectionRebuilds.versions })
    .from(projectionRebuilds)
    .where(inArray(projectionRebuilds.status, [...activeStatuses]));
  // Already on its way at this version: another worker queued it, or it is running.
  const due = behind.filter((projection) => !active.some((row) => row.versions[projection.name] === versionOf(projection)));
  if (due.length === 0) return null;
  const reason = due
    .map((projection) => `version ${built.find((row) => row.projection === projection.name)!.version} → ${versionOf(projection)} of ${projection.name}`)
    .join(', ');
  try {
    return await requestRebuild(orm, due, reason);
  } catch (error) {
    // A rebuild of one of them at its old version is under way: the next start queues this one.
    if (error instanceof RebuildConflictError) return null;
    throw error;
  }
}

/** The rebuild's row is no longer this instance's: another took it over after its heartbeat stopped. */
export class LostRebuildError extends Error {}

/**
 * Runs a claimed rebuild to its end: swapped, cancelled or failed (the row says which, and why). Stops early,
 * leaving the row for another instance to resume, when `signal` aborts or another instance took it over.
 */
export async function runRebuild(source: RebuildSource, claimed: ProjectionRebuildRow, readModels: readonly Projection[], options: RebuildOptions): Promise<ProjectionRebuildRow> {
  const { orm, store } = source;
  const projections = claimed.projections.map((name) => {
    const projection = readModels.find((candidate) => candidate.name === name);
    if (!projection) throw new Error(`No read model named ${name} runs here.`);
    return projection;
  });
  const schema = shadowSchema(claimed.id);
  const types = [...new Set(projections.flatMap((projection) => projection.handles))];
  const report = (phase: RebuildProgress['phase'], done: number, total: number) =>
    options.onProgress?.({ id: claimed.id, projections: claimed.projections, done, total, phase });

  try {
    let at: LogPosition = { transactionId: claimed.transactionId, position: claimed.position };
    let done = claimed.eventsDone;
    // A fresh start, or a resumed one whose shadow is gone: build from zero.
    if (compareLogPositions(at, logStart) === 0 || !(await schemaExists(orm, schema))) {
      at = logStart;
      done = 0;
      await orm.transaction((tx) => createShadowTables(tx, schema, projections));
    }
    const progress = new ProgressTotal(orm);
    let total = await progress.count(done, at);
    await orm.update(projectionRebuilds).set({ eventsTotal: total }).where(eq(projectionRebuilds.id, claimed.id));
    report('building', done, total);

    const read = (after: LogPosition) => store.readAll({ after, limit: options.batchSize, types });
    let ahead: ReturnType<typeof read> | null = null;
    for (;;) {
      if (options.signal?.aborted) return await finished(orm, claimed.id);
      const page = await (ahead ?? read(at));
      ahead = null;
      const full = page.read === options.batchSize;
      if (full) {
        // Read the next batch while this one is applied (see db/consumers/batches.ts).
        ahead = read(page.checkpoint);
        ahead.catch(() => {});
      }
      if (page.read > 0) {
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        total = await progress.afterPage(done, page.read, page.checkpoint, !full);
        const cancel = await orm.transaction(async (tx) => {
          await useShadow(tx, schema);
          await applyToAll(tx, projections, page.events);
          return advance(tx, claimed.id, options.instanceId, page.checkpoint, page.read, total);
        });
        at = page.checkpoint;
        done += page.read;
        report('building', done, total);
        if (cancel) return await cancelled(orm, claimed.id, schema, report, done, total);
        if (full) continue;
      }
      if (page.heldBack) {
        // An append still running holds the log's horizon: its events come in a moment.
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (await cancelRequested(orm, claimed.id)) return await cancelled(orm, claimed.id, schema, report, done, total);
      report('swapping', done, done);
      const swapped = await trySwap(source, claimed, projections, schema, at, options);
      if (swapped === 'moved-on') continue;
      report(swapped.status === 'swapped' ? 'swapped' : 'failed', done, done);
      return swapped;
    }
  } catch (error) {
    if (error instanceof LostRebuildError) return await finished(orm, claimed.id);
    await orm.transaction(async (tx) => {
      await dropShadow(tx, schema);
      await markFailed(tx, claimed.id, error);
    });
    report('failed', claimed.eventsDone, claimed.eventsTotal);
    return await finished(orm, claimed.id);
  }
}

/**
 * Applies a page of the log (or each read model's own part of it) to each read model, its handled events
 * only, in log order.
 *
 * The read models are applied side by side in the one transaction, not one after another: each is a load,
 * a fold in memory and a write, and postgres.js pipelines the statements of concurrent calls on the
 * transaction's connection, so PostgreSQL loads and writes one read model's rows while Node folds another's:
 * the two cores work at once instead of taking turns. It changes nothing the read models see, because each
 * reads and writes only its own tables (`Projection.tables`), and each one's own statements still run in its
 * order. (On PGlite, one thread, the statements simply queue.) One that fails fails the transaction, and with
 * it the batch for all of them.
 */
async function applyToAll(
  tx: OrmTx,
  projections: readonly Projection[],
  events: readonly StoredEvent[] | ((projection: Projection) => readonly StoredEvent[]),
): Promise<void> {
  const outcomes = await Promise.allSettled(
    projections.map(async (projection) => {
      const handles = new Set<string>(projection.handles);
      const mine = (typeof events === 'function' ? events(projection) : events).filter((event) => handles.has(event.type));
      // The log's rows of these types were appended by the domain's deciders, so they have its shapes.
      if (mine.length > 0) await projection.applyBatch(tx, mine as never);
    }),
  );
  // Every one has stopped using the transaction before it ends: one still sending statements while the
  // transaction rolls back would send them on a connection handed back to the pool.
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Moves the rebuild's checkpoint with its batch; says whether a cancel was asked. Throws if it is no longer ours. */
export async function advance(tx: Orm | OrmTx, id: number, holder: string, to: LogPosition, read: number, total: number): Promise<boolean> {
  const [row] = await tx
    .update(projectionRebuilds)
    .set({
      transactionId: to.transactionId,
      position: to.position,
      eventsDone: sql`${projectionRebuilds.eventsDone} + ${read}`,
      eventsTotal: total,
      heartbeatAt: sql`now()`,
    })
    .where(and(eq(projectionRebuilds.id, id), eq(projectionRebuilds.holder, holder), eq(projectionRebuilds.status, 'running')))
    .returning({ cancelRequestedAt: projectionRebuilds.cancelRequestedAt });
  if (!row) throw new LostRebuildError();
  return row.cancelRequestedAt !== null;
}

/**
 * Step 2 and 3: read what lies ahead of the shadow and behind the live checkpoints, then verify and swap under
 * the live tables' locks. `moved-on` when a live read model got past what was read in the meantime (it
 * applied a batch between the read and the lock): the caller reads on and tries again.
 */
async function trySwap(
  source: RebuildSource,
  claimed: ProjectionRebuildRow,
  projections: readonly Projection[],
  schema: string,
  shadowAt: LogPosition,
  options: RebuildOptions,
): Promise<ProjectionRebuildRow | 'moved-on'> {
  const { orm, store } = source;
  const names = projections.map((projection) => projection.name);
  const types = [...new Set(projections.flatMap((projection) => projection.handles))];
  // Read before locking, so the lock is held for no read of the log (on the embedded database, which has one
  // connection, a read inside the transaction would wait for the transaction itself). The live checkpoints
  // only move forward, so reading from the lowest seen now covers whatever they are under the lock.
  const liveBefore = await readCheckpoints(orm, names);
  const from = [shadowAt, ...liveBefore.values()].reduce((low, position) => (compareLogPositions(position, low) < 0 ? position : low));
  const gap = await readRange(store, from, types, options.batchSize);
  const readUpTo = gap.at(-1) ? positionOf(gap.at(-1)!) : shadowAt;
  const ceiling = compareLogPositions(readUpTo, shadowAt) > 0 ? readUpTo : shadowAt;
  const versions = await orm.select().from(readModelVersions).where(inArray(readModelVersions.projection, names));

  const outcome = await orm.transaction(async (tx) => {
    await lockLiveTables(tx, projections);
    const live = await readCheckpoints(tx, names, { forUpdate: true });
    const target = [shadowAt, ...live.values()].reduce((high, position) => (compareLogPositions(position, high) > 0 ? position : high));
    if (compareLogPositions(target, ceiling) > 0) return 'moved-on' as const;
    const between = (after: LogPosition) =>
      gap.filter((event) => compareLogPositions(positionOf(event), after) > 0 && compareLogPositions(positionOf(event), target) <= 0);
    // Bring the shadow, then each live read model, to the same position: the one ahead stays, the other catches up.
    await useShadow(tx, schema);
    await applyToAll(tx, projections, between(shadowAt));
    await useLive(tx);
    await applyToAll(tx, projections, (projection) => between(live.get(projection.name)!));
    const verification = await verify(tx, schema, projections, claimed, versions, target);
    const differing = verification.tables.filter(
      (table) => !verification.changedOnPurpose.includes(table.projection) && (table.live.rows !== table.rebuilt.rows || table.live.hash !== table.rebuilt.hash),
    );
    if (differing.length > 0) {
      // The live read model stays as it was (its catch-up above is rolled back with the rest).
      tx.rollback();
    }
    await swapTables(tx, schema, projections);
    for (const projection of projections) {
      await tx
        .update(consumerCheckpoints)
        .set({ transactionId: target.transactionId, position: target.position, updatedAt: sql`now()` })
        .where(eq(consumerCheckpoints.consumer, projection.name));
    }
    await tx
      .insert(readModelVersions)
      .values(projections.map((projection) => ({ projection: projection.name, version: claimed.versions[projection.name] ?? versionOf(projection) })))
      .onConflictDoUpdate({ target: readModelVersions.projection, set: { version: sql`excluded.version`, builtAt: sql`now()` } });
    await tx
      .update(projectionRebuilds)
      .set({ status: 'swapped', verification, finishedAt: sql`now()`, transactionId: target.transactionId, position: target.position, eventsTotal: sql`${projectionRebuilds.eventsDone}` })
      .where(eq(projectionRebuilds.id, claimed.id));
    return verification;
  }).catch(async (error: unknown) => {
    if (!isRollback(error)) throw error;
    return null;
  });
  if (outcome === 'moved-on') return outcome;
  if (outcome === null) {
    // Verification found a difference: compute it again outside the lock for the record, then give up.
    const verification = await orm.transaction(async (tx) => verify(tx, schema, projections, claimed, versions, shadowAt));
    const differing = verification.tables.filter((table) => table.live.hash !== table.rebuilt.hash || table.live.rows !== table.rebuilt.rows);
    const error =
      `The rebuilt read model differs from the live one: ${differing.map((table) => `${table.table} (live ${table.live.rows} rows, rebuilt ${table.rebuilt.rows}, ` + `content ${table.live.hash === table.rebuilt.hash ? 'equal' : 'different'})`).join('; ')}. ` +
      'The live one was kept. If the code changed on purpose, bump the read model’s version.';
    await orm.transaction(async (tx) => {
      await dropShadow(tx, schema);
      await tx.update(projectionRebuilds).set({ status: 'failed', error, verification, finishedAt: sql`now()` }).where(eq(projectionRebuilds.id, claimed.id));
    });
  }
  return finished(orm, claimed.id);
}

async function verify(
  tx: OrmTx,
  schema: string,
  projections: readonly Projection[],
  claimed: ProjectionRebuildRow,
  versions: readonly { projection: string; version: number }[],
  at: LogPosition,
): Promise<RebuildVerification> {
  const tables: RebuildVerification['tables'][number][] = [];
  for (const { projection, table, schema: live } of tableNames(projections)) {
    tables.push({ projection, table, live: await fingerprint(tx, live, table), rebuilt: await fingerprint(tx, schema, table) });
  }
  const changedOnPurpose = projections
    .filter((projection) => {
      const live = versions.find((row) => row.projection === projection.name)?.version ?? versionOf(projection);
      return live !== (claimed.versions[projection.name] ?? versionOf(projection));
    })
    .map((projection) => projection.name);
  return { at: encodeToken(at), tables, changedOnPurpose };
}

/** Every event after `after` that is readable now (below the horizon), in log order. */
export async function readRange(store: EventStore, after: LogPosition, types: readonly string[], batchSize: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let at = after; ; ) {
    const page = await store.readAll({ after: at, limit: batchSize, types });
    events.push(...page.events);
    at = page.checkpoint;
    if (page.read < batchSize) return events;
  }
}

export const positionOf = (event: StoredEvent): LogPosition => ({ transactionId: event.transactionId, position: event.globalPosition });

export async function readCheckpoints(db: Orm | OrmTx, names: readonly string[], options: { forUpdate?: boolean } = {}): Promise<Map<string, LogPosition>> {
  const query = db
    .select({ consumer: consumerCheckpoints.consumer, transactionId: consumerCheckpoints.transactionId, position: consumerCheckpoints.position })
    .from(consumerCheckpoints)
    .where(inArray(consumerCheckpoints.consumer, [...names]));
  const rows = await (options.forUpdate ? query.for('update') : query);
  // A read model that has never run starts at the log's start, like its checkpoint would.
  return new Map(names.map((name) => [name, rows.find((row) => row.consumer === name) ?? logStart]));
}

/**
 * What a rebuild's progress bar counts to: the events done plus those still ahead in the log. The log grows
 * while the rebuild reads it, so what is left is counted again every few seconds, and whenever a page comes
 * back short (the rebuild is at the head); in between, the total only grows with the pages read.
 */
export class ProgressTotal {
  private total = 0;
  private countedAt = -Infinity;

  constructor(private readonly orm: Orm) {}

  /** Counts afresh: `done` so far, and every event after `at`. */
  async count(done: number, at: LogPosition): Promise<number> {
    this.total = done + (await countEventsAfter(this.orm, at));
    this.countedAt = performance.now();
    return this.total;
  }

  /** After a page of `read` events up to `checkpoint`, read when `done` were done; `short`: fewer than asked. */
  async afterPage(done: number, read: number, checkpoint: LogPosition, short: boolean): Promise<number> {
    if (short || performance.now() - this.countedAt > 2_000) await this.count(done + read, checkpoint);
    this.total = Math.max(this.total, done + read);
    return this.total;
  }
}

export async function countEventsAfter(orm: Orm, at: LogPosition): Promise<number> {
  const [row] = await executeRows<{ count: string }>(
    orm,
    sql`select count(*)::text as count from events where (transaction_id, global_position) > (${String(at.transactionId)}::xid8, ${at.position})`,
  );
  return Number(row?.count ?? 0);
}

async function schemaExists(orm: Orm, schema: string): Promise<boolean> {
  return (await executeRows(orm, sql`select 1 from pg_namespace where nspname = ${schema}`)).length > 0;
}

export async function cancelRequested(orm: Orm, id: number): Promise<boolean> {
  const [row] = await orm.select({ at: projectionRebuilds.cancelRequestedAt }).from(projectionRebuilds).where(eq(projectionRebuilds.id, id));
  return row?.at != null;
}

async function cancelled(
  orm: Orm,
  id: number,
  schema: string,
  report: (phase: RebuildProgress['phase'], done: number, total: number) => void,
  done: number,
  total: number,
): Promise<ProjectionRebuildRow> {
  await orm.transaction(async (tx) => {
    await dropShadow(tx, schema);
    await tx.update(projectionRebuilds).set({ status: 'cancelled', finishedAt: sql`now()` }).where(eq(projectionRebuilds.id, id));
  });
  report('cancelled', done, total);
  return finished(orm, id);
}

/** Ends a rebuild that cannot run here, saying why. */
/** Ends a rebuild as failed, saying why (an error as the console shows it: its name and message, cut if long). */
export async function failRebuild(orm: Orm, id: number, error: unknown): Promise<ProjectionRebuildRow> {
  await markFailed(orm, id, error);
  return finished(orm, id);
}

async function markFailed(tx: Orm | OrmTx, id: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await tx
    .update(projectionRebuilds)
    .set({ status: 'failed', error: message.slice(0, 2_000), finishedAt: sql`now()` })
    .where(eq(projectionRebuilds.id, id));
}

export async function finished(orm: Orm, id: number): Promise<ProjectionRebuildRow> {
  const [row] = await orm.select().from(projectionRebuilds).where(eq(projectionRebuilds.id, id));
  return row!;
}

function isRollback(error: unknown): boolean {
  return error instanceof TransactionRollbackError;
}

const textArray = (values: readonly string[]) => sql`array[${sql.join(values.map((value) => sql`${value}`), sql`, `)}]::text[]`;
