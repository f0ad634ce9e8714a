import { assertNever } from '../decider';
import type { CustomerEvent } from './events';

export type CustomerState =
  | { status: 'unregistered' }
  | { status: 'registered'; customerId: string; name: string; email: string };

export const initialCustomerState = (): CustomerState => ({ status: 'unregistered' });

export function evolveCustomer(_state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerRegistered': {
      const { customerId, name, email } = event.data;
      return { status: 'registered', customerId, name, email };
    }
    default:
      return assertNever(event.type);
  }
}
