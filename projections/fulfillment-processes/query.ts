import { asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Orm } from '@/db/client';
import { readCheckpointToken } from '@/db/event-store';
import { readSnapshot } from '../runtime/read-snapshot';
import { fulfillmentProcessesProjection } from './projection';
import { fulfillmentProcesses, type FulfillmentProcessRow } from './schema';

export type ParkedProcess = {
  readonly orderId: string;
  readonly customerId: string;
  readonly totalCents: number;
  /** What the process was doing when it parked, and will carry on with once resumed. */
  readonly stoppedWhile: string;
  readonly reason: string;
  readonly since: Date;
  readonly heldInputs: number;
};

/** The processes waiting for staff to retry or cancel them, longest waiting first. */
export function listParkedProcesses(db: Orm): Promise<{ checkpoint: string; processes: ParkedProcess[] }> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, fulfillmentProcessesProjection.name);
    const rows = await tx
      .select()
      .from(fulfillmentProcesses)
      .where(isNotNull(fulfillmentProcesses.parkedSince))
      .orderBy(asc(fulfillmentProcesses.parkedSince), asc(fulfillmentProcesses.orderId));
    const processes = rows.map((row) => ({
      orderId: row.orderId,
      customerId: row.customerId,
      totalCents: row.totalCents,
      stoppedWhile: row.status,
      // A parked row always has both (the projection sets them together).
      reason: row.parkedReason ?? '',
      since: row.parkedSince!,
      heldInputs: row.heldInputs,
    }));
    return { checkpoint, processes };
  });
}

/** How many processes are in each status; a parked one counts as `parked`, whatever it was doing. */
export function countProcessesByStatus(db: Orm): Promise<{ checkpoint: string; counts: Record<string, number> }> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, fulfillmentProcessesProjection.name);
    const status = sql<string>`case when ${fulfillmentProcesses.parkedSince} is not null then 'parked' else ${fulfillmentProcesses.status} end`;
    const rows = await tx.select({ status, processes: count() }).from(fulfillmentProcesses).groupBy(status);
    return { checkpoint, counts: Object.fromEntries(rows.map((row) => [row.status, row.processes])) };
  });
}

/** One order's process as the back office shows it beside the order's trace; null before the read model has it. */
export function getFulfillmentProcess(
  db: Orm,
  orderId: string,
): Promise<{ checkpoint: string; process: FulfillmentProcessRow | null }> {
  return readSnapshot(db, async (tx) => {
    const checkpoint = await readCheckpointToken(tx, fulfillmentProcessesProjection.name);
    const [process] = await tx.select().from(fulfillmentProcesses).where(eq(fulfillmentProcesses.orderId, orderId));
    return { checkpoint, process: process ?? null };
  });
}
