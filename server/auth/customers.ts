import type { EventStore } from '@/db/event-store';
import { registerCustomer } from '@/server/commands/customers';
import { stableUuid } from '@/server/seed-data';
import { IllegalStateError } from '@/domain';

/**
 * Appends `CustomerRegistered` for an account, once. Called when better-auth creates a user, and again by a
 * command from an account whose registration is not in the log (the append failed after the user row was
 * written): the idempotency key is the account's, so however often it runs, one event is appended.
 */
export async function ensureCustomerRegistered(
  store: EventStore,
  customer: { customerId: string; name: string; email: string },
): Promise<void> {
  const key = stableUuid(`register:${customer.customerId}`);
  try {
    await registerCustomer(
      store,
      {
        idempotencyKey: key,
        requestHash: key,
        correlationId: key,
        actor: `customer:${customer.customerId}`,
        source: 'sign-up',
        now: new Date(),
      },
      customer,
    );
  } catch (error) {
    // Registered already, under another key (the seed registers its demo customers itself).
    if (!(error instanceof IllegalStateError)) throw error;
  }
}
