import type { Handler } from './context';
import type { LedgerAnswer } from './contract';

/**
 * `GET /v1/ledger`: what the gateway has taken and given back, for tests and operators. Sums are read as text:
 * a bigint arrives as a string from postgres.js and as a number from PGlite.
 */
export const getLedger: Handler = async (gateway) => {
  type Totals = { charges: number; capturedCents: string; refundedCents: string; declines: number };
  const [row] = await gateway.sql.query<Totals>(
    `select
       count(*) filter (where status = 'captured')::integer as charges,
       coalesce(sum(amount_cents) filter (where status = 'captured'), 0)::text as "capturedCents",
       (select coalesce(sum(amount_cents), 0) from payment_gateway.refunds)::text as "refundedCents",
       count(*) filter (where status = 'declined')::integer as declines
     from payment_gateway.charges`,
  );
  if (!row) throw new Error('an aggregate query returned no row');
  const ledger: LedgerAnswer = {
    charges: row.charges,
    capturedCents: Number(row.capturedCents),
    refundedCents: Number(row.refundedCents),
    declines: row.declines,
  };
  return { status: 200, body: ledger };
};
