import { expect } from 'vitest';
import { fold, type Command, type Decider, type DomainEvent } from './decider';
import type { DomainError } from './errors';

type DomainErrorClass = new (message: string) => DomainError;

/**
 * given(decider, pastEvents).when(command).then(expectedEvents) / .thenThrows(ErrorClass, /message/).
 * `then` also folds the new events, so every emitted event is proven to evolve cleanly.
 */
export function given<State, C extends Command, E extends DomainEvent>(
  decider: Decider<State, C, E>,
  events: readonly E[] = [],
) {
  return {
    when(command: C) {
      const decide = () => decider.decide(command, fold(decider, events));
      return {
        then(expected: readonly E[]): void {
          const emitted = decide();
          expect(emitted).toEqual(expected);
          fold(decider, [...events, ...emitted]);
        },
        thenThrows(errorClass: DomainErrorClass, message: RegExp): void {
          expect(decide).toThrow(errorClass);
          expect(decide).toThrow(message);
        },
      };
    },
  };
}
