import type { Knobs } from './knobs';
import { enqueue, type Cause } from './outbox';
import { missingItem, trackingNumber, type Item } from './picking';
import type { WarehouseExecutor, WarehouseSql } from './sql';

/** Shipments advanced per transaction. */
const batchSize = 100;
/** The fallback poll, and the longest the loop sleeps when the next step is due later. */
const pollMs = 250;

type DueShipment = {
  order_id: string;
  status: 'received' | 'picked' | 'packed';
  items: Item[];
  request_id: string;
  correlation_id: string;
};

/**
 * One round of the step loop: every shipment whose next step is due takes it, in one transaction. The rows are
 * claimed `for update skip locked`, so two warehouse processes on one database never take a step (or ship)
 * twice, and a cancellation holding a row is waited for rather than overtaken. Resolves to how long to sleep:
 * until the next step is due, at most the poll interval.
 */
export function stepPass(sql: WarehouseSql, knobs: Knobs, onOutcome: () => void): () => Promise<number> {
  return async () => {
    const { taken, outcomes, nextDueMs } = await sql.transaction(async (tx) => {
      const due = await tx.query<DueShipment>(
        `select order_id, status, items, request_id, correlation_id
         from warehouse.shipments
         where next_step_at <= now()
         order by next_step_at
         limit ${batchSize}
         for update skip locked`,
      );
      let outcomes = 0;
      for (const shipment of due) if (await advance(tx, shipment, knobs)) outcomes++;
      // From the clock, not the transaction's start: the sleep begins after the commit.
      const [next] = await tx.query<{ ms: number | null }>(
        `select (extract(epoch from min(next_step_at) - clock_timestamp()) * 1000)::float8 as ms
         from warehouse.shipments where next_step_at is not null`,
      );
      return { taken: due.length, outcomes, nextDueMs: next?.ms ?? null };
    });
    if (outcomes > 0) onOutcome();
    if (taken === batchSize) return 0;
    if (nextDueMs === null) return pollMs;
    // Due already but not taken: another process holds the row, and commits within milliseconds.
    return Math.min(pollMs, Math.max(2, Math.ceil(nextDueMs)));
  };
}

/**
 * Takes the shipment's due step, and the ones after it that are due at once (a delay of 0): a warehouse with no
 * delays answers in one transaction, not one per step. True when the shipment reached an outcome.
 */
async function advance(tx: WarehouseExecutor, shipment: DueShipment, knobs: Knobs): Promise<boolean> {
  const cause: Cause = { messageId: shipment.request_id, correlationId: shipment.correlation_id };
  const orderId = shipment.order_id;
  let status = shipment.status;
  for (;;) {
    switch (status) {
      case 'received': {
        const missing = missingItem(orderId, shipment.items, knobs.missingRate);
        if (missing) {
          const [failed] = await tx.query<{ at: Date }>(
            `update warehouse.shipments
             set status = 'failed', failed_at = now(), missing = $2::text::jsonb, next_step_at = null, updated_at = now()
             where order_id = $1 returning failed_at as at`,
            [orderId, JSON.stringify([missing])],
          );
          const at = failed!.at;
          const payload = { orderId, reason: 'items-missing' as const, missing: [missing], reportedAt: at.toISOString() };
          await enqueue(tx, 'shipment.failed', payload, at, cause);
          return true;
        }
        await moveOn(tx, orderId, 'picked', knobs.packMs);
        if (knobs.packMs > 0) return false;
        status = 'picked';
        break;
      }
      case 'picked':
        await moveOn(tx, orderId, 'packed', knobs.dispatchMs);
        if (knobs.dispatchMs > 0) return false;
        status = 'packed';
        break;
      case 'packed': {
        const tracking = trackingNumber(orderId);
        const [dispatched] = await tx.query<{ at: Date }>(
          `update warehouse.shipments
           set status = 'dispatched', dispatched_at = now(), carrier = $2, tracking_number = $3,
               next_step_at = null, updated_at = now()
           where order_id = $1 returning dispatched_at as at`,
          [orderId, knobs.carrier, tracking],
        );
        const at = dispatched!.at;
        const payload = { orderId, carrier: knobs.carrier, trackingNumber: tracking, dispatchedAt: at.toISOString() };
        await enqueue(tx, 'shipment.dispatched', payload, at, cause);
        return true;
      }
    }
  }
}

/** The step's timestamp column, named after the status it reaches. */
const stepColumns = { picked: 'picked_at', packed: 'packed_at' } as const;

async function moveOn(
  tx: WarehouseExecutor,
  orderId: string,
  reached: keyof typeof stepColumns,
  nextInMs: number,
): Promise<void> {
  await tx.query(
    `update warehouse.shipments
     set status = $2, ${stepColumns[reached]} = now(), updated_at = now(),
         next_step_at = now() + $3::integer * interval '1 millisecond'
     where order_id = $1`,
    [orderId, reached, nextInMs],
  );
}
