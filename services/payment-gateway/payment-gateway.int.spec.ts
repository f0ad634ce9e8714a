import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { pgliteClient } from '@/db/sql';
import {
  PaymentGatewayRejectedError,
  PaymentGatewayTimeoutError,
  PaymentGatewayUnavailableError,
  type PaymentGatewayClient,
} from './client';
import { startPaymentGateway } from './server';
import { card, cardNumber, clientFor, newKey, useGatewayDatabase } from './testing-hooks';

const ctx = useGatewayDatabase();

/** Tokenizes the card and charges it once, with a new key. */
async function chargeWith(client: PaymentGatewayClient, number: string, amountCents = 1_250) {
  const { token } = await client.tokenize(card(number));
  const idempotencyKey = newKey();
  const result = await client.charge({ idempotencyKey, token, amountCents, currency: 'USD' });
  return { idempotencyKey, token, result };
}

/** What `work` added to the ledger. */
async function ledgerChange(client: PaymentGatewayClient, work: () => Promise<unknown>) {
  const before = await client.ledger();
  await work();
  const after = await client.ledger();
  return {
    charges: after.charges - before.charges,
    capturedCents: after.capturedCents - before.capturedCents,
    refundedCents: after.refundedCents - before.refundedCents,
    declines: after.declines - before.declines,
  };
}

describe('tokens', () => {
  it('swaps a card for a token and keeps neither the number nor the cvc', async () => {
    const token = await ctx.client.tokenize({ number: '4242 4242 4242 4242', expiry: '04/39', cvc: '987' });
    expect(token).toEqual({
      token: expect.stringMatching(/^tok_.{24}$/),
      last4: '4242',
      brand: 'visa',
      riskLevel: 'normal',
    });
    const query = 'select * from payment_gateway.tokens where token = $1';
    const rows = await ctx.sql.query<Record<string, unknown>>(query, [token.token]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toMatch(/4242424242424242|4242 4242|987/);
  });

  it('reports the suspicious card as an elevated risk', async () => {
    expect(await ctx.client.tokenize(card(cardNumber('flagged')))).toMatchObject({ riskLevel: 'elevated' });
  });

  it('refuses a card that fails the Luhn check, with the reason', async () => {
    const refusal = ctx.client.tokenize(card('4242 4242 4242 4241'));
    await expect(refusal).rejects.toBeInstanceOf(PaymentGatewayRejectedError);
    await expect(refusal).rejects.toMatchObject({ status: 422, code: 'invalid_number', message: /Luhn/ });
  });
});

describe('charges by test card', () => {
  it('captures the approved card', async () => {
    const change = await ledgerChange(ctx.client, async () => {
      const { idempotencyKey, result } = await chargeWith(ctx.client, cardNumber('approve'), 4_999);
      expect(result).toEqual({
        status: 'captured',
        chargeId: expect.stringMatching(/^ch_/),
        idempotencyKey,
        amountCents: 4_999,
        currency: 'USD',
        capturedAt: expect.any(String),
      });
    });
    expect(change).toEqual({ charges: 1, capturedCents: 4_999, refundedCents: 0, declines: 0 });
  });

  it('declines for insufficient funds, and a retry gets the same decline', async () => {
    const { idempotencyKey, token, result } = await chargeWith(ctx.client, cardNumber('insufficient_funds'));
    expect(result).toMatchObject({
      status: 'declined',
      reason: 'insufficient_funds',
      message: 'The card has insufficient funds.',
      idempotencyKey,
    });
    const again = await ctx.client.charge({ idempotencyKey, token, amountCents: 1_250, currency: 'USD' });
    expect(again).toEqual(result);
    expect(await ctx.client.lookupCharge(idempotencyKey)).toEqual({ ...result, refundedCents: 0 });
  });

  it('declines the expired card', async () => {
    const change = await ledgerChange(ctx.client, async () => {
      const { result } = await chargeWith(ctx.client, cardNumber('card_expired'));
      expect(result).toMatchObject({ status: 'declined', reason: 'card_expired', message: 'The card has expired.' });
    });
    expect(change).toEqual({ charges: 0, capturedCents: 0, refundedCents: 0, declines: 1 });
  });

  it('approves the suspicious card: stopping it is the shop’s fraud check', async () => {
    expect((await chargeWith(ctx.client, cardNumber('flagged'))).result).toMatchObject({ status: 'captured' });
  });

  it('approves any other valid card', async () => {
    const { brand } = await ctx.client.tokenize(card('5555 5555 5555 4444'));
    expect(brand).toBe('mastercard');
    expect((await chargeWith(ctx.client, '5555 5555 5555 4444')).result).toMatchObject({ status: 'captured' });
  });

  it('times out on the timeout card and charges nothing', async () => {
    const impatient = clientFor(ctx.gateway, 200);
    const { token } = await impatient.tokenize(card(cardNumber('timeout')));
    const idempotencyKey = newKey();
    const started = Date.now();
    await expect(impatient.charge({ idempotencyKey, token, amountCents: 100, currency: 'USD' })).rejects.toBeInstanceOf(
      PaymentGatewayTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await ctx.client.lookupCharge(idempotencyKey)).toEqual({ status: 'not_found', idempotencyKey });
  });

  it('answers 504 once the hold is over, still charging nothing', async () => {
    const gateway = await ctx.start({ timeoutHoldMs: 50 });
    const client = clientFor(gateway);
    const { token } = await client.tokenize(card(cardNumber('timeout')));
    const idempotencyKey = newKey();
    const charge = client.charge({ idempotencyKey, token, amountCents: 100, currency: 'USD' });
    await expect(charge).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
    await expect(charge).rejects.toMatchObject({ status: 504 });
    expect(await client.lookupCharge(idempotencyKey)).toEqual({ status: 'not_found', idempotencyKey });
  });

  it('captures the lost-answer card but loses the first answer; a retry with the key returns the charge', async () => {
    const change = await ledgerChange(ctx.client, async () => {
      const { token } = await ctx.client.tokenize(card(cardNumber('lost_answer')));
      const idempotencyKey = newKey();
      const request = { idempotencyKey, token, amountCents: 777, currency: 'USD' };
      await expect(ctx.client.charge(request)).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
      const retried = await ctx.client.charge(request);
      expect(retried).toMatchObject({ status: 'captured', idempotencyKey, amountCents: 777 });
      expect(await ctx.client.lookupCharge(idempotencyKey)).toEqual({ ...retried, refundedCents: 0 });
      expect(await ctx.client.charge(request)).toEqual(retried);
    });
    expect(change).toMatchObject({ charges: 1, capturedCents: 777 });
  });
});

describe('idempotency', () => {
  it('charges once for a key sent twice, and answers the same both times', async () => {
    const change = await ledgerChange(ctx.client, async () => {
      const { idempotencyKey, token, result } = await chargeWith(ctx.client, cardNumber('approve'), 300);
      expect(await ctx.client.charge({ idempotencyKey, token, amountCents: 300, currency: 'USD' })).toEqual(result);
    });
    expect(change).toEqual({ charges: 1, capturedCents: 300, refundedCents: 0, declines: 0 });
  });

  it('refuses a key reused for a different charge with 409', async () => {
    const { idempotencyKey, token } = await chargeWith(ctx.client, cardNumber('approve'), 300);
    for (const changed of [{ amountCents: 301, currency: 'USD' }, { amountCents: 300, currency: 'EUR' }]) {
      await expect(ctx.client.charge({ idempotencyKey, token, ...changed })).rejects.toMatchObject({
        status: 409,
        code: 'idempotency_key_reused',
      });
    }
  });

  it('makes exactly one charge of 20 concurrent requests with one key, all answered alike', async () => {
    const { token } = await ctx.client.tokenize(card(cardNumber('approve')));
    const idempotencyKey = newKey();
    let answers: unknown[] = [];
    const change = await ledgerChange(ctx.client, async () => {
      const request = { idempotencyKey, token, amountCents: 2_000, currency: 'USD' };
      answers = await Promise.all(Array.from({ length: 20 }, () => ctx.client.charge(request)));
    });
    expect(change).toEqual({ charges: 1, capturedCents: 2_000, refundedCents: 0, declines: 0 });
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
  });

  it('finds a charge whose answer came too late for the caller', async () => {
    const slow = await ctx.start({ latencyMs: 400 });
    const { token } = await clientFor(slow).tokenize(card(cardNumber('approve')));
    const idempotencyKey = newKey();
    const impatient = clientFor(slow, 100);
    await expect(impatient.charge({ idempotencyKey, token, amountCents: 900, currency: 'USD' })).rejects.toBeInstanceOf(
      PaymentGatewayTimeoutError,
    );
    expect(await ctx.client.lookupCharge(idempotencyKey)).toMatchObject({ status: 'captured', amountCents: 900 });
  });
});

describe('knobs and life cycle', () => {
  it('with failureRate 1, answers every charge 503 and stores nothing', async () => {
    const failing = await ctx.start({ failureRate: 1 });
    const { token } = await clientFor(failing).tokenize(card(cardNumber('approve')));
    const before = await ctx.counts();
    const idempotencyKey = newKey();
    const charge = clientFor(failing).charge({ idempotencyKey, token, amountCents: 100, currency: 'USD' });
    await expect(charge).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
    await expect(charge).rejects.toMatchObject({ status: 503 });
    expect(await ctx.counts()).toEqual(before);
    expect(await ctx.client.lookupCharge(idempotencyKey)).toEqual({ status: 'not_found', idempotencyKey });
  });

  it('fails the share of charges the random source picks', async () => {
    const draws = [0.1, 0.9];
    const flaky = await ctx.start({ failureRate: 0.5, random: () => draws.shift() ?? 0.9 });
    const client = clientFor(flaky);
    const { token } = await client.tokenize(card(cardNumber('approve')));
    const request = { idempotencyKey: newKey(), token, amountCents: 100, currency: 'USD' };
    await expect(client.charge(request)).rejects.toMatchObject({ status: 503 });
    expect(await client.charge(request)).toMatchObject({ status: 'captured' });
  });

  it('answers its health check', async () => {
    const response = await fetch(`${ctx.gateway.url}/health`);
    expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('closes promptly with a request on hold, which ends without an answer', async () => {
    const gateway = await ctx.start();
    const client = clientFor(gateway, 10_000);
    const { token } = await client.tokenize(card(cardNumber('timeout')));
    const held = client.charge({ idempotencyKey: newKey(), token, amountCents: 100, currency: 'USD' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(held).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
    await expect(client.ledger()).rejects.toBeInstanceOf(PaymentGatewayUnavailableError);
  });

  it('migrates once when several gateways start together, in its own schema only', async () => {
    await Promise.all([ctx.start(), ctx.start(), ctx.start()]);
    const applied = await ctx.sql.query<{ id: string }>('select id from payment_gateway.migrations');
    expect(applied.map((row) => row.id)).toEqual(['0001_tables']);
    const elsewhere = await ctx.sql.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = 'public'`,
    );
    expect(elsewhere).toEqual([]);
  });
});

describe('on PGlite', () => {
  it('tokenizes, charges, looks up and refunds on the embedded database too', async () => {
    const pg = await PGlite.create();
    const gateway = await startPaymentGateway({ sql: pgliteClient(pg) });
    try {
      const client = clientFor(gateway);
      const { idempotencyKey, result } = await chargeWith(client, cardNumber('approve'), 1_000);
      expect(result).toMatchObject({ status: 'captured' });
      const declined = await chargeWith(client, cardNumber('insufficient_funds'));
      expect(declined.result).toMatchObject({ status: 'declined' });
      await client.refund({ idempotencyKey: newKey(), chargeKey: idempotencyKey, amountCents: 400 });
      expect(await client.lookupCharge(idempotencyKey)).toMatchObject({ status: 'captured', refundedCents: 400 });
      expect(await client.ledger()).toEqual({ charges: 1, capturedCents: 1_000, refundedCents: 400, declines: 1 });
    } finally {
      await gateway.close();
      await pg.close();
    }
  });
});
