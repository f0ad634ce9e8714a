import type { Migration } from './migration';

/**
 * The inbox (every message handled, by id, kept for ever: a repeat may come back at any time), the shipments
 * (one per order, with a timestamp per step for operators) and the outbox (outcomes waiting for the broker).
 *
 * A shipment due for its next step has `next_step_at`; a final one (dispatched, failed, cancelled) has none, so
 * the step loop's index holds only the shipments under way. A cancellation for an order never requested is a
 * shipment too (cancelled, no items), so a request arriving after it is not shipped.
 */
export const tables: Migration = {
  id: '0001_tables',
  statements: [
    `create table warehouse.inbox (
      message_id text primary key,
      subject text not null,
      contract text not null,
      order_id text not null,
      correlation_id text,
      received_at timestamptz not null default now()
    )`,
    `create table warehouse.shipments (
      order_id text primary key,
      status text not null check (status in ('received', 'picked', 'packed', 'dispatched', 'failed', 'cancelled')),
      items jsonb not null,
      ship_to jsonb,
      request_id text,
      correlation_id text not null,
      carrier text,
      tracking_number text,
      missing jsonb,
      next_step_at timestamptz,
      received_at timestamptz,
      picked_at timestamptz,
      packed_at timestamptz,
      dispatched_at timestamptz,
      failed_at timestamptz,
      cancelled_at timestamptz,
      updated_at timestamptz not null default now(),
      check ((next_step_at is null) = (status in ('dispatched', 'failed', 'cancelled')))
    )`,
    'create index shipments_due on warehouse.shipments (next_step_at) where next_step_at is not null',
    `create table warehouse.outbox (
      position bigint generated always as identity primary key,
      message_id uuid not null unique,
      order_id text not null,
      contract text not null,
      payload jsonb not null,
      occurred_at timestamptz not null,
      correlation_id text not null,
      causation_id text not null,
      created_at timestamptz not null default now(),
      published_at timestamptz
    )`,
    'create index outbox_unpublished on warehouse.outbox (position) where published_at is null',
  ],
};
