import type { Knobs } from './knobs';
import type { PayloadOf } from '@/contracts';
import { enqueueMany, type Cause } from './outbox';
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
  traceparent: string | null;
  tracestate: string | null;
  /** The transaction's clock: every step of the pass is taken at it. */
  now: Date;
};

/**
 * One round of the step loop: every shipment whose next step is due takes it, in one transaction of three
 * statements whatever the number of shipments (claim, update, outbox), so a busy warehouse keeps up with a
 * shop taking a hundred orders a second. The rows are claimed `for update skip locked`, so two warehouse
 * processes on one database never take a step (or ship) twice, and a cancellation holding a row is waited for
 * rather than overtaken. Resolves to how long to sleep: until the next step is due, at most the poll interval.
 */
export function stepPass(sql: WarehouseSql, knobs: Knobs, onOutcome: () => void): () => Promise<number> {
  return async () => {
    const { taken, outcomes, nextDueMs } = await sql.transaction(async (tx) => {
      const due = await tx.query<DueShipment>(
        `select order_id, status, items, request_id, correlation_id, traceparent, tracestate, now() as now
         from warehouse.shipments
         where next_step_at <= now()
         order by next_step_at
         limit ${batchSize}
         for update skip locked`,
      );
      const moves = due.map((shipment) => nextStep(shipment, knobs));
      if (moves.length > 0) {
        await tx.query(
          `update warehouse.shipments as shipment
           set status = move.status,
               picked_at = case when move.picked then now() else shipment.picked_at end,
               packed_at = case when move.packed then now() else shipment.packed_at end,
               dispatched_at = case when move.dispatched then now() else shipment.dispatched_at end,
               failed_at = case when move.failed then now() else shipment.failed_at end,
               missing = coalesce(move.missing, shipment.missing),
               carrier = coalesce(move.carrier, shipment.carrier),
               tracking_number = coalesce(move.tracking_number, shipment.tracking_number),
               next_step_at = now() + move.next_in_ms * interval '1 millisecond',
               updated_at = now()
           from jsonb_to_recordset($1::text::jsonb) as move (
             order_id text, status text, picked boolean, packed boolean, dispatched boolean, failed boolean,
             missing jsonb, carrier text, tracking_number text, next_in_ms integer)
           where shipment.order_id = move.order_id`,
          [JSON.stringify(moves.map(({ outcome: _outcome, ...move }) => move))],
        );
      }
      const outcomes = moves.flatMap((move, index) => (move.outcome ? [{ ...move.outcome, cause: causeOf(due[index]!) }] : []));
      await enqueueAll(tx, outcomes, due[0]?.now ?? new Date());
      // From the clock, not the transaction's start: the sleep begins after the commit.
      const [next] = await tx.query<{ ms: number | null }>(
        `select (extract(epoch from min(next_step_at) - clock_timestamp()) * 1000)::float8 as ms
         from warehouse.shipments where next_step_at is not null`,
      );
      return { taken: due.length, outcomes: outcomes.length, nextDueMs: next?.ms ?? null };
    });
    if (outcomes > 0) onOutcome();
    if (taken === batchSize) return 0;
    if (nextDueMs === null) return pollMs;
    // Due already but not taken: another process holds the row, and commits within milliseconds.
    return Math.min(pollMs, Math.max(2, Math.ceil(nextDueMs)));
  };
}

const causeOf = (shipment: DueShipment): Cause => ({
  messageId: shipment.request_id,
  correlationId: shipment.correlation_id,
  traceparent: shipment.traceparent,
  tracestate: shipment.tracestate,
});

/** Where a shipment's due step takes it, and the outcome it reports if it got that far. */
type Move = {
  readonly order_id: string;
  readonly status: 'picked' | 'packed' | 'dispatched' | 'failed';
  readonly picked: boolean;
  readonly packed: boolean;
  readonly dispatched: boolean;
  readonly failed: boolean;
  readonly missing: Item[] | null;
  readonly carrier: string | null;
  readonly tracking_number: string | null;
  /** Until the next step is due; null when the shipment has reached its outcome. */
  readonly next_in_ms: number | null;
  readonly outcome: Outcome | null;
};

type Outcome =
  | { readonly contract: 'shipment.dispatched'; readonly payload: Omit<PayloadOf<'shipment.dispatched'>, 'dispatchedAt'> }
  | { readonly contract: 'shipment.failed'; readonly payload: Omit<PayloadOf<'shipment.failed'>, 'reportedAt'> };

/**
 * Takes the shipment's due step, and the ones after it that are due at once (a delay of 0): a warehouse with no
 * delays answers in one pass, not one per step. Picking finds an item missing or not (from the order id).
 */
export function nextStep(shipment: Pick<DueShipment, 'order_id' | 'status' | 'items'>, knobs: Knobs): Move {
  const orderId = shipment.order_id;
  const move = { order_id: orderId, picked: false, packed: false, dispatched: false, failed: false, missing: null, carrier: null, tracking_number: null };
  let status = shipment.status;
  for (;;) {
    switch (status) {
      case 'received': {
        const missing = missingItem(orderId, shipment.items, knobs.missingRate);
        if (missing) {
          return {
            ...move,
            status: 'failed',
            failed: true,
            missing: [missing],
            next_in_ms: null,
            outcome: { contract: 'shipment.failed', payload: { orderId, reason: 'items-missing', missing: [missing] } },
          };
        }
        move.picked = true;
        if (knobs.packMs > 0) return { ...move, status: 'picked', next_in_ms: knobs.packMs, outcome: null };
        status = 'picked';
        break;
      }
      case 'picked':
        move.packed = true;
        if (knobs.dispatchMs > 0) return { ...move, status: 'packed', next_in_ms: knobs.dispatchMs, outcome: null };
        status = 'packed';
        break;
      case 'packed': {
        const tracking = trackingNumber(orderId);
        return {
          ...move,
          status: 'dispatched',
          dispatched: true,
          carrier: knobs.carrier,
          tracking_number: tracking,
          next_in_ms: null,
          outcome: { contract: 'shipment.dispatched', payload: { orderId, carrier: knobs.carrier, trackingNumber: tracking } },
        };
      }
    }
  }
}

/** The outcomes of a pass, all into the outbox in one statement, stamped with the pass's moment. */
async function enqueueAll(tx: WarehouseExecutor, outcomes: readonly (Outcome & { cause: Cause })[], at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const instant = at.toISOString();
  await enqueueMany(
    tx,
    outcomes.map((outcome) =>
      outcome.contract === 'shipment.dispatched'
        ? { contract: outcome.contract, payload: { ...outcome.payload, dispatchedAt: instant }, occurredAt: at, cause: outcome.cause }
        : { contract: outcome.contract, payload: { ...outcome.payload, reportedAt: instant }, occurredAt: at, cause: outcome.cause },
    ),
  );
}
