import type { SqlExecutor } from '@/db/sql';
import { declineMessages, type ChargeAnswer, type DeclineReason, type StoredCharge } from './contract';

/** A stored charge. Times are read as ISO text, so both drivers give the same string back, to the millisecond. */
export type ChargeRow = {
  readonly idempotencyKey: string;
  readonly chargeId: string;
  readonly token: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly status: 'captured' | 'declined';
  readonly declineReason: DeclineReason | null;
  readonly createdAt: string;
  readonly refundedCents: number;
};

export type NewCharge = Omit<ChargeRow, 'refundedCents'>;

/** An ISO 8601 UTC timestamp with milliseconds, the form JavaScript's toISOString writes. */
export function isoText(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const columns = `idempotency_key as "idempotencyKey", charge_id as "chargeId", token, amount_cents as "amountCents",
  currency, status, decline_reason as "declineReason", ${isoText('created_at')} as "createdAt",
  refunded_cents as "refundedCents"`;

export async function findCharge(sql: SqlExecutor, idempotencyKey: string): Promise<ChargeRow | undefined> {
  const [row] = await sql.query<ChargeRow>(
    `select ${columns} from payment_gateway.charges where idempotency_key = $1`,
    [idempotencyKey],
  );
  return row;
}

/**
 * Stores the charge unless its key is taken; undefined when it was. The primary key decides between concurrent
 * requests with one key: a second insert waits for the first to commit and then does nothing, so exactly one
 * charge is made and no request fails on a unique violation.
 */
export async function insertCharge(sql: SqlExecutor, charge: NewCharge): Promise<ChargeRow | undefined> {
  const [row] = await sql.query<ChargeRow>(
    `insert into payment_gateway.charges
       (idempotency_key, charge_id, token, amount_cents, currency, status, decline_reason, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)
     on conflict (idempotency_key) do nothing
     returning ${columns}`,
    [
      charge.idempotencyKey,
      charge.chargeId,
      charge.token,
      charge.amountCents,
      charge.currency,
      charge.status,
      charge.declineReason,
      charge.createdAt,
    ],
  );
  return row;
}

/** The answer the charge's first request got; it depends on nothing that changes later (refunds). */
export function chargeAnswer(row: ChargeRow): { status: 200 | 402; body: ChargeAnswer } {
  const common = { idempotencyKey: row.idempotencyKey, amountCents: row.amountCents, currency: row.currency };
  if (row.declineReason) {
    return {
      status: 402,
      body: { status: 'declined', reason: row.declineReason, message: declineMessages[row.declineReason], ...common },
    };
  }
  return { status: 200, body: { status: 'captured', chargeId: row.chargeId, capturedAt: row.createdAt, ...common } };
}

/** The charge as it stands: its answer and what has been refunded of it since. */
export function storedCharge(row: ChargeRow): StoredCharge {
  const { body } = chargeAnswer(row);
  return body.status === 'captured' ? { ...body, refundedCents: row.refundedCents } : { ...body, refundedCents: 0 };
}
