import { describe, expect, it } from 'vitest';
import { PaymentGatewayRejectedError } from './client';
import { card, cardNumber, newKey, useGatewayDatabase } from './testing-hooks';

const ctx = useGatewayDatabase();

/** A captured charge of `amountCents`; its key is what refunds name. */
async function captured(amountCents: number): Promise<string> {
  const { token } = await ctx.client.tokenize(card(cardNumber('approve')));
  const idempotencyKey = newKey();
  await ctx.client.charge({ idempotencyKey, token, amountCents, currency: 'USD' });
  return idempotencyKey;
}

describe('refunds', () => {
  it('refunds a charge in full', async () => {
    const chargeKey = await captured(2_500);
    const idempotencyKey = newKey();
    const refund = await ctx.client.refund({ idempotencyKey, chargeKey, amountCents: 2_500 });
    expect(refund).toEqual({
      refundId: expect.stringMatching(/^re_/),
      idempotencyKey,
      chargeKey,
      amountCents: 2_500,
      refundedAt: expect.any(String),
    });
    expect(await ctx.client.lookupCharge(chargeKey)).toMatchObject({ status: 'captured', refundedCents: 2_500 });
  });

  it('refunds in parts, and refuses more than is left with 422', async () => {
    const chargeKey = await captured(1_000);
    await ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 300 });
    await ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 600 });
    const over = ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 101 });
    await expect(over).rejects.toBeInstanceOf(PaymentGatewayRejectedError);
    await expect(over).rejects.toMatchObject({ status: 422, code: 'refund_exceeds_charge' });
    await ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 100 });
    expect(await ctx.client.lookupCharge(chargeKey)).toMatchObject({ refundedCents: 1_000 });
  });

  it('refunds once for a key sent twice, and refuses the key for a different refund', async () => {
    const chargeKey = await captured(1_000);
    const idempotencyKey = newKey();
    const first = await ctx.client.refund({ idempotencyKey, chargeKey, amountCents: 400 });
    expect(await ctx.client.refund({ idempotencyKey, chargeKey, amountCents: 400 })).toEqual(first);
    await expect(ctx.client.refund({ idempotencyKey, chargeKey, amountCents: 401 })).rejects.toMatchObject({
      status: 409,
      code: 'idempotency_key_reused',
    });
    const otherCharge = await captured(1_000);
    await expect(ctx.client.refund({ idempotencyKey, chargeKey: otherCharge, amountCents: 400 })).rejects.toMatchObject({
      status: 409,
    });
    expect(await ctx.client.lookupCharge(chargeKey)).toMatchObject({ refundedCents: 400 });
  });

  it('refunds once for 20 concurrent requests with one key, even of the whole amount', async () => {
    const chargeKey = await captured(800);
    const idempotencyKey = newKey();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => ctx.client.refund({ idempotencyKey, chargeKey, amountCents: 800 })),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await ctx.client.lookupCharge(chargeKey)).toMatchObject({ refundedCents: 800 });
    const [row] = await ctx.sql.query<{ refunds: number }>(
      'select count(*)::integer as refunds from payment_gateway.refunds where charge_key = $1',
      [chargeKey],
    );
    expect(row?.refunds).toBe(1);
  });

  it('never refunds more than the charge under concurrent refunds with different keys', async () => {
    const chargeKey = await captured(1_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 300 })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'refund_exceeds_charge' });
    }
    expect(await ctx.client.lookupCharge(chargeKey)).toMatchObject({ refundedCents: 900 });
  });

  it('refuses to refund a declined charge or one it does not know', async () => {
    const { token } = await ctx.client.tokenize(card(cardNumber('insufficient_funds')));
    const declined = newKey();
    await ctx.client.charge({ idempotencyKey: declined, token, amountCents: 500, currency: 'USD' });
    const before = await ctx.counts();
    const ofDeclined = ctx.client.refund({ idempotencyKey: newKey(), chargeKey: declined, amountCents: 1 });
    await expect(ofDeclined).rejects.toMatchObject({ status: 422, code: 'charge_not_captured' });
    const ofUnknown = ctx.client.refund({ idempotencyKey: newKey(), chargeKey: newKey(), amountCents: 1 });
    await expect(ofUnknown).rejects.toMatchObject({ status: 404, code: 'charge_not_found' });
    expect(await ctx.counts()).toEqual(before);
  });

  it('counts refunds in the ledger', async () => {
    const before = await ctx.client.ledger();
    const chargeKey = await captured(1_000);
    await ctx.client.refund({ idempotencyKey: newKey(), chargeKey, amountCents: 250 });
    const after = await ctx.client.ledger();
    expect(after.capturedCents - before.capturedCents).toBe(1_000);
    expect(after.refundedCents - before.refundedCents).toBe(250);
  });
});
