import type { EventStore } from '@/db/event-store';
import { customerDecider, customerStreamId } from '@/domain';
import { runCommand, type CommandEnvelope } from './run-command';

export async function registerCustomer(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { customerId: string; name: string; email: string },
) {
  return runCommand(store, envelope, async (unit, now) => {
    await unit.decide(customerStreamId(input.customerId), customerDecider, {
      type: 'RegisterCustomer',
      data: input,
      metadata: { now },
    });
    return { customerId: input.customerId };
  });
}
