import { sql } from 'drizzle-orm';
import type { ShopEvent } from '@/domain';
import type { TransactionalConsumer } from './consumer';
import { applications } from './testing';

/** The ledger's name, also its rows' `consumer` in scratch_applications. */
export const ledgerName = 'lease_ledger';

/**
 * Counts how often each event of these types was applied, by event id, in the batch's transaction: after the
 * fault test, every count must be 1 however many workers died mid-batch.
 */
export const ledgerConsumer: TransactionalConsumer<ShopEvent, 'ProductListed' | 'CustomerRegistered' | 'OrderPlaced' | 'OrderPaid' | 'CartItemAdded'> = {
  kind: 'transactional',
  name: ledgerName,
  handles: ['ProductListed', 'CustomerRegistered', 'OrderPlaced', 'OrderPaid', 'CartItemAdded'],
  async applyBatch(tx, events) {
    if (events.length === 0) return;
    await tx
      .insert(applications)
      .values(events.map((event) => ({ consumer: ledgerName, key: event.eventId, applied: 1 })))
      .onConflictDoUpdate({ target: [applications.consumer, applications.key], set: { applied: sql`${applications.applied} + 1` } });
  },
};
