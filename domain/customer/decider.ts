import { assertNever, type Decider } from '../decider';
import { IllegalStateError } from '../errors';
import type { CustomerCommand } from './commands';
import type { CustomerEvent } from './events';
import { evolveCustomer, initialCustomerState, type CustomerState } from './state';

export const customerStreamId = (customerId: string): string => `customer-${customerId}`;

function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      if (state.status === 'registered') throw new IllegalStateError('This customer is already registered.');
      return [
        { type: 'CustomerRegistered', data: { ...command.data, registeredAt: command.metadata.now.toISOString() } },
      ];
    default:
      return assertNever(command.type);
  }
}

export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerEvent> = {
  decide: decideCustomer,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
};
