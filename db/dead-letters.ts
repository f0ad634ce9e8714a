import { and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Orm, OrmTx } from './client';
import { deadLetters, type DeadLetter, type NewDeadLetter } from './schema/dead-letters';

/**
 * The dead letters of external consumers (db/schema/dead-letters.ts): recorded by the consumers beside their
 * checkpoint, listed, retried and skipped by staff. How a retry delivers depends on the consumer (a search
 * document is folded again from the log, a message is published again); what it records is the same here.
 */

export type { DeadLetter } from './schema/dead-letters';

/** What a consumer records of each delivery it gives up on; the rest of the row starts open. */
export type DeadLetterRecord = Omit<NewDeadLetter, 'id' | 'status' | 'recordedAt' | 'lastAttemptAt' | 'resolvedBy' | 'resolvedAt'>;

/**
 * Records dead letters, in the transaction that moves the consumer's checkpoint past them. A batch repeated
 * after a crash meets its earlier rows and records nothing twice.
 */
export async function recordDeadLetters(tx: OrmTx, letters: readonly DeadLetterRecord[]): Promise<void> {
  if (letters.length === 0) return;
  await tx.insert(deadLetters).values([...letters]).onConflictDoNothing();
}

/** The most rows one page lists: open ones are few, or the cause is one to fix before reading them all. */
export const deadLetterPageSize = 100;

/** Open dead letters newest first, or the resolved ones most recently resolved first. */
export function listDeadLetters(db: Orm, show: 'open' | 'resolved'): Promise<DeadLetter[]> {
  const query = db.select().from(deadLetters);
  return (
    show === 'open'
      ? query.where(eq(deadLetters.status, 'open')).orderBy(desc(deadLetters.recordedAt), desc(deadLetters.id))
      : query.where(ne(deadLetters.status, 'open')).orderBy(desc(deadLetters.resolvedAt), desc(deadLetters.id))
  ).limit(deadLetterPageSize);
}

/** How many dead letters each consumer has, open and resolved. */
export async function countDeadLetters(db: Orm): Promise<{ consumer: string; open: number; resolved: number }[]> {
  const rows = await db
    .select({
      consumer: deadLetters.consumer,
      open: sql<number>`count(*) filter (where ${deadLetters.status} = 'open')::int`,
      resolved: sql<number>`count(*) filter (where ${deadLetters.status} <> 'open')::int`,
    })
    .from(deadLetters)
    .groupBy(deadLetters.consumer)
    .orderBy(asc(deadLetters.consumer));
  return rows.map((row) => ({ ...row, open: Number(row.open), resolved: Number(row.resolved) }));
}

/** The open dead letters, across consumers: the figure the status page links with. */
export async function countOpenDeadLetters(db: Orm): Promise<number> {
  const [row] = await db.select({ open: count() }).from(deadLetters).where(eq(deadLetters.status, 'open'));
  return row?.open ?? 0;
}

export async function findDeadLetter(db: Orm, id: number): Promise<DeadLetter | null> {
  const [row] = await db.select().from(deadLetters).where(eq(deadLetters.id, id));
  return row ?? null;
}

/**
 * Resolves an open dead letter: `retried` once a retry delivered it, `skipped` when staff give up on it. False
 * when it was no longer open (someone else resolved it first), so two clicks resolve it once.
 */
export async function resolveDeadLetter(db: Orm, id: number, status: 'retried' | 'skipped', by: string): Promise<boolean> {
  const attempted = status === 'retried' ? { attempts: sql`${deadLetters.attempts} + 1`, lastAttemptAt: sql`now()` } : {};
  const resolved = await db
    .update(deadLetters)
    .set({ status, resolvedBy: by, resolvedAt: sql`now()`, ...attempted })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'open')))
    .returning({ id: deadLetters.id });
  return resolved.length > 0;
}

/** A retry that failed: the dead letter stays open, with this attempt counted and its error in place of the last. */
export async function recordFailedRetry(db: Orm, id: number, failure: { error: string; detail?: string | null }): Promise<void> {
  await db
    .update(deadLetters)
    .set({ attempts: sql`${deadLetters.attempts} + 1`, lastAttemptAt: sql`now()`, error: failure.error, detail: failure.detail ?? null })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'open')));
}
