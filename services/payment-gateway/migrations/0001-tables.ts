import type { Migration } from './migration';

/**
 * Tokens, charges and refunds. A token keeps only what may be stored of a card (last four digits, brand, expiry)
 * and the behaviour its test card selects. A charge's primary key is its idempotency key, so two requests with one
 * key can never both insert; the same holds for refunds. Amounts are integers: the API caps them at $1,000,000.00.
 */
export const tables: Migration = {
  id: '0001_tables',
  statements: [
    `create table payment_gateway.tokens (
      token text primary key,
      last4 text not null check (last4 ~ '^[0-9]{4}$'),
      brand text not null,
      exp_month integer not null check (exp_month between 1 and 12),
      exp_year integer not null,
      behaviour text not null
        check (behaviour in ('approve', 'insufficient_funds', 'card_expired', 'timeout', 'lost_answer', 'flagged')),
      created_at timestamptz not null default now()
    )`,
    `create table payment_gateway.charges (
      idempotency_key text primary key,
      charge_id text not null unique,
      token text not null references payment_gateway.tokens,
      amount_cents integer not null check (amount_cents > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      status text not null check (status in ('captured', 'declined')),
      decline_reason text check (decline_reason in ('insufficient_funds', 'card_expired')),
      created_at timestamptz not null,
      refunded_cents integer not null default 0 check (refunded_cents between 0 and amount_cents),
      check ((status = 'declined') = (decline_reason is not null)),
      check (status = 'captured' or refunded_cents = 0)
    )`,
    `create table payment_gateway.refunds (
      idempotency_key text primary key,
      refund_id text not null unique,
      charge_key text not null references payment_gateway.charges,
      amount_cents integer not null check (amount_cents > 0),
      refunded_at timestamptz not null
    )`,
    'create index refunds_charge_key on payment_gateway.refunds (charge_key)',
  ],
};
