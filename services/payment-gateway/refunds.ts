import type { SqlExecutor } from '@/db/sql';
import { isoText } from './charge-rows';
import { latencyOf, type Handler } from './context';
import { refundRequestSchema, type RefundAnswer } from './contract';
import { HttpError, idempotencyKeyOf, parseWith, readJson } from './http';
import { randomId } from './ids';
import { pause } from './pause';

const columns = `idempotency_key as "idempotencyKey", refund_id as "refundId", charge_key as "chargeKey",
  amount_cents as "amountCents", ${isoText('refunded_at')} as "refundedAt"`;

/**
 * `POST /v1/refunds`: refunds part or all of a captured charge, idempotent by its own key like a charge. The charge's
 * row is locked first, so refunds of one charge run one at a time: two can never both fit in what is left, and a
 * duplicate sees the refund its twin stored instead of the smaller balance that refund left.
 */
export const postRefund: Handler = async (gateway, { req, signal }) => {
  const idempotencyKey = idempotencyKeyOf(req);
  const request = parseWith(refundRequestSchema, await readJson(req));
  const refund = await gateway.sql.transaction(async (tx) => {
    const [charge] = await tx.query<{ status: string; amountCents: number; refundedCents: number }>(
      `select status, amount_cents as "amountCents", refunded_cents as "refundedCents"
       from payment_gateway.charges where idempotency_key = $1 for update`,
      [request.chargeKey],
    );
    if (!charge) throw new HttpError(404, 'charge_not_found', 'No charge with this idempotency key.');
    const earlier = await findRefund(tx, idempotencyKey);
    if (earlier) return earlier;
    if (charge.status !== 'captured') {
      throw new HttpError(422, 'charge_not_captured', 'Only a captured charge can be refunded.');
    }
    const left = charge.amountCents - charge.refundedCents;
    if (request.amountCents > left) {
      throw new HttpError(422, 'refund_exceeds_charge', `At most ${left} cents of this charge are left to refund.`);
    }
    const made = await insertRefund(tx, {
      idempotencyKey,
      refundId: randomId('re'),
      chargeKey: request.chargeKey,
      amountCents: request.amountCents,
      refundedAt: gateway.now().toISOString(),
    });
    // Taken meanwhile by a refund of another charge (whose lock this one did not wait for): that one stands.
    if (!made) return findRefund(tx, idempotencyKey);
    await tx.query(
      'update payment_gateway.charges set refunded_cents = refunded_cents + $2 where idempotency_key = $1',
      [request.chargeKey, request.amountCents],
    );
    return made;
  });
  if (!refund) throw new Error(`refund ${idempotencyKey} lost its conflicting row`);
  if (refund.chargeKey !== request.chargeKey || refund.amountCents !== request.amountCents) {
    throw new HttpError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for a different refund.');
  }
  await pause(latencyOf(gateway), signal);
  return { status: 200, body: refund };
};

async function findRefund(sql: SqlExecutor, idempotencyKey: string): Promise<RefundAnswer | undefined> {
  const [row] = await sql.query<RefundAnswer>(
    `select ${columns} from payment_gateway.refunds where idempotency_key = $1`,
    [idempotencyKey],
  );
  return row;
}

/** Undefined when the key is taken; see insertCharge for why this cannot fail on a race. */
async function insertRefund(sql: SqlExecutor, refund: RefundAnswer): Promise<RefundAnswer | undefined> {
  const [row] = await sql.query<RefundAnswer>(
    `insert into payment_gateway.refunds (idempotency_key, refund_id, charge_key, amount_cents, refunded_at)
     values ($1, $2, $3, $4, $5::timestamptz)
     on conflict (idempotency_key) do nothing
     returning ${columns}`,
    [refund.idempotencyKey, refund.refundId, refund.chargeKey, refund.amountCents, refund.refundedAt],
  );
  return row;
}
