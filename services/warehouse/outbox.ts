import { randomUUID } from 'node:crypto';
import { integrationEvents, type IntegrationTransport, type OutgoingMessage, type PayloadOf } from '@/contracts';
import type { WarehouseExecutor, WarehouseSql } from './sql';

/**
 * The transactional outbox. The warehouse has no event log to publish from (the shop's log is its own outbox),
 * so an outcome is written as a row in the same transaction as the state change it reports, and a publisher
 * sends the rows later. A commit therefore always has its message, however the broker is doing, and the broker
 * never hears of a change that did not commit.
 */
export type OutcomeContract = 'shipment.dispatched' | 'shipment.failed' | 'shipment.cancelled';

/**
 * The incoming message an outcome answers: its correlation id is carried on, its id becomes the causation id, and
 * the trace its handling ran in (when the warehouse traces) is the one the outcome's publish continues.
 */
export type Cause = {
  readonly messageId: string;
  readonly correlationId: string;
  readonly traceparent?: string | null;
  readonly tracestate?: string | null;
};

export async function enqueue<C extends OutcomeContract>(
  tx: WarehouseExecutor,
  contract: C,
  payload: PayloadOf<C>,
  occurredAt: Date,
  cause: Cause,
): Promise<void> {
  // A bug in an outcome fails its transaction here, not at the publisher, where it would hold up every row behind it.
  const checked = integrationEvents[contract].schema.parse(payload);
  await tx.query(
    `insert into warehouse.outbox (message_id, order_id, contract, payload, occurred_at, correlation_id, causation_id, traceparent, tracestate)
     values ($1, $2, $3, $4::text::jsonb, $5, $6, $7, $8, $9)`,
    [randomUUID(), checked.orderId, contract, JSON.stringify(checked), occurredAt, cause.correlationId, cause.messageId, cause.traceparent ?? null, cause.tracestate ?? null],
  );
}

/** Several outcomes in one statement (the step loop's pass), each checked like `enqueue`'s. */
export async function enqueueMany(
  tx: WarehouseExecutor,
  outcomes: readonly { contract: OutcomeContract; payload: PayloadOf<OutcomeContract>; occurredAt: Date; cause: Cause }[],
): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map(({ contract, payload, occurredAt, cause }) => {
    const checked = integrationEvents[contract].schema.parse(payload);
    return {
      message_id: randomUUID(),
      order_id: checked.orderId,
      contract,
      payload: checked,
      occurred_at: occurredAt.toISOString(),
      correlation_id: cause.correlationId,
      causation_id: cause.messageId,
      traceparent: cause.traceparent ?? null,
      tracestate: cause.tracestate ?? null,
    };
  });
  // In the given order: the outbox's position column numbers them as they come.
  await tx.query(
    `insert into warehouse.outbox (message_id, order_id, contract, payload, occurred_at, correlation_id, causation_id, traceparent, tracestate)
     select message_id, order_id, contract, payload, occurred_at, correlation_id, causation_id, traceparent, tracestate
     from rows from (jsonb_to_recordset($1::text::jsonb) as (
       message_id uuid, order_id text, contract text, payload jsonb, occurred_at timestamptz, correlation_id text, causation_id text,
       traceparent text, tracestate text))
       with ordinality as incoming (message_id, order_id, contract, payload, occurred_at, correlation_id, causation_id, traceparent, tracestate, ordinality)
     order by ordinality`,
    [JSON.stringify(rows)],
  );
}

/** Rows per publish: sent back to back and acknowledged together. */
const batchSize = 100;
/** How often the publisher looks for rows nobody nudged it about (another warehouse process's, or a crash's). */
const pollMs = 250;
/** Published rows are kept a day, for operators, then deleted; the sweep runs every ten minutes. */
const sweepEveryMs = 10 * 60_000;

type OutboxRow = {
  message_id: string;
  contract: OutcomeContract;
  payload: PayloadOf<OutcomeContract>;
  occurred_at: Date;
  correlation_id: string;
  causation_id: string;
  traceparent: string | null;
  tracestate: string | null;
};

/**
 * One round of the publisher: the oldest unpublished rows, in order, published and then marked. A row is marked
 * only after the broker acknowledged it; a crash in between publishes it again with the same message id, which
 * JetStream's duplicate window and the consumer's inbox absorb. Two warehouse processes on one database may both
 * send a row for the same reason, with the same result.
 */
export function publisherPass(sql: WarehouseSql, transport: IntegrationTransport): () => Promise<number> {
  let sweptAt = 0;
  return async () => {
    const rows = await sql.query<OutboxRow>(
      `select message_id, contract, payload, occurred_at, correlation_id, causation_id, traceparent, tracestate
       from warehouse.outbox where published_at is null order by position limit ${batchSize}`,
    );
    if (rows.length > 0) {
      await transport.publish(rows.map(messageOf));
      // By id, not by a range of positions: a row that committed late may sit between two published ones.
      await sql.query(
        `update warehouse.outbox set published_at = now()
         where message_id in (select value::uuid from jsonb_array_elements_text($1::text::jsonb))`,
        [JSON.stringify(rows.map((row) => row.message_id))],
      );
    }
    if (Date.now() - sweptAt > sweepEveryMs) {
      await sql.query("delete from warehouse.outbox where published_at < now() - interval '1 day'");
      sweptAt = Date.now();
    }
    return rows.length === batchSize ? 0 : pollMs;
  };
}

function messageOf(row: OutboxRow): OutgoingMessage {
  return {
    id: row.message_id,
    contract: row.contract,
    payload: row.payload,
    occurredAt: row.occurred_at.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
    ...(row.tracestate ? { tracestate: row.tracestate } : {}),
  } as OutgoingMessage;
}
