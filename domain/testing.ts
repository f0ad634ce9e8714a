import { expect } from 'vitest';
import { fold, type Command, type Decider, type DomainEvent } from './decider';
import type { DomainError } from './errors';

type DomainErrorClass = new (message: string) => DomainError;

/**
 * given(decider, pastEvents).when(command).then(expectedEvents) / .thenThrows(ErrorClass, /message/).
 * `then` also folds the new events, so every emitted event is proven to evolve cleanly. For a decider with
 * snapshots, every case is decided a second time on the state after a JSON round trip (what a snapshot
 * stores), proving that deciding on a snapshot gives the same answer.
 */
export function given<State, C extends Command, E extends DomainEvent>(
  decider: Decider<State, C, E>,
  events: readonly E[] = [],
) {
  return {
    when(command: C) {
      const decide = () => decider.decide(command, fold(decider, events));
      const fromSnapshot = () => JSON.parse(JSON.stringify(fold(decider, events))) as State;
      return {
        then(expected: readonly E[]): void {
          const emitted = decide();
          expect(emitted).toEqual(expected);
          if (decider.snapshots) expect(decider.decide(command, fromSnapshot())).toEqual(expected);
          fold(decider, [...events, ...emitted]);
        },
        thenThrows(errorClass: DomainErrorClass, message: RegExp): void {
          expect(decide).toThrow(errorClass);
          expect(decide).toThrow(message);
          if (decider.snapshots) expect(() => decider.decide(command, fromSnapshot())).toThrow(message);
        },
      };
    },
  };
}
