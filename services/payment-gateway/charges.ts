import { hasExpired } from './cards';
import { chargeAnswer, findCharge, insertCharge, storedCharge, type ChargeRow } from './charge-rows';
import { latencyOf, type GatewayContext, type Handler } from './context';
import { chargeRequestSchema, idempotencyKeySchema, type ChargeRequest, type DeclineReason } from './contract';
import { errorBody, HttpError, idempotencyKeyOf, parseWith, readJson, type Answer } from './http';
import { randomId } from './ids';
import { pause } from './pause';
import { findToken, type StoredToken } from './tokens';

/**
 * `POST /v1/charges`: charges a token, captured at once. The Idempotency-Key names the charge: a request with a
 * key already used gets the first request's answer back and charges nothing; with a different body, 409.
 */
export const postCharge: Handler = async (gateway, { req, signal }) => {
  // Chaos comes first, before anything is read or stored, so a 503 is always safe to retry.
  if (gateway.random() < gateway.failureRate) {
    throw new HttpError(503, 'gateway_unavailable', 'The gateway is unavailable; retry with the same Idempotency-Key.');
  }
  const idempotencyKey = idempotencyKeyOf(req);
  const request = parseWith(chargeRequestSchema, await readJson(req));
  const token = await findToken(gateway.sql, request.token);
  if (!token) throw new HttpError(404, 'token_not_found', 'No card token with this id.');

  const earlier = await findCharge(gateway.sql, idempotencyKey);
  if (earlier) return repeat(earlier, request, gateway, signal);

  if (token.behaviour === 'timeout') {
    // Holds the request like a gateway that never answers. Nothing is stored, so a retry with the key is safe.
    await pause(gateway.timeoutHoldMs, signal);
    if (signal.aborted) return { drop: true };
    return { status: 504, body: errorBody('gateway_timeout', 'The card network did not answer.') };
  }

  const now = gateway.now();
  const reason = declineReason(token, now);
  const made = await insertCharge(gateway.sql, {
    idempotencyKey,
    chargeId: randomId('ch'),
    token: token.token,
    amountCents: request.amountCents,
    currency: request.currency,
    status: reason ? 'declined' : 'captured',
    declineReason: reason,
    createdAt: now.toISOString(),
  });
  if (!made) {
    // A concurrent request with the same key stored its charge first: answer as that one did.
    const first = await findCharge(gateway.sql, idempotencyKey);
    if (!first) throw new Error(`charge ${idempotencyKey} lost its conflicting row`);
    return repeat(first, request, gateway, signal);
  }
  await pause(latencyOf(gateway), signal);
  // The charge is captured and stored, but this (first) answer never arrives: only a retry or a lookup tells.
  if (token.behaviour === 'lost_answer') return { drop: true };
  return chargeAnswer(made);
};

/** `GET /v1/charges/:idempotencyKey`: the charge as it stands now, with what has been refunded. */
export const getCharge: Handler = async (gateway, { params }) => {
  const key = idempotencyKeySchema.safeParse(params[0]);
  const row = key.success ? await findCharge(gateway.sql, key.data) : undefined;
  if (!row) throw new HttpError(404, 'charge_not_found', 'No charge with this idempotency key.');
  return { status: 200, body: storedCharge(row) };
};

/** The first request's answer again, if this request is the same charge; a key reused for another one is refused. */
async function repeat(
  row: ChargeRow,
  request: ChargeRequest,
  gateway: GatewayContext,
  signal: AbortSignal,
): Promise<Answer> {
  const same =
    row.token === request.token && row.amountCents === request.amountCents && row.currency === request.currency;
  if (!same) {
    throw new HttpError(409, 'idempotency_key_reused', 'This Idempotency-Key was used for a different charge.');
  }
  await pause(latencyOf(gateway), signal);
  return chargeAnswer(row);
}

function declineReason(token: StoredToken, now: Date): DeclineReason | null {
  if (token.behaviour === 'insufficient_funds') return 'insufficient_funds';
  // A token made from a card that has since expired is declined like the expired test card.
  if (token.behaviour === 'card_expired' || hasExpired(token, now)) return 'card_expired';
  return null;
}
