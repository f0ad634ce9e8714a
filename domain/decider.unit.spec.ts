import { describe, expect, it } from 'vitest';
import { assertNever, fold } from './decider';

type Counted = { type: 'Added'; data: { n: number } } | { type: 'Reset'; data: object };
const counter = {
  initialState: () => 0,
  evolve: (total: number, event: Counted): number => (event.type === 'Added' ? total + event.data.n : 0),
};

describe('fold', () => {
  it('applies events in order, from the initial state', () => {
    expect(fold(counter, [])).toBe(0);
    expect(fold(counter, [{ type: 'Added', data: { n: 2 } }, { type: 'Added', data: { n: 3 } }])).toBe(5);
    expect(fold(counter, [{ type: 'Added', data: { n: 2 } }, { type: 'Reset', data: {} }, { type: 'Added', data: { n: 3 } }])).toBe(3);
  });

  it('continues from a given state: what a snapshot holds, folding only the events after it', () => {
    expect(fold(counter, [{ type: 'Added', data: { n: 3 } }], 10)).toBe(13);
  });
});

describe('assertNever', () => {
  it('fails loudly, naming the variant, when a value the types ruled out arrives after all', () => {
    // A stored event of a type this code does not know, say: better a stopped reader than a silent skip.
    expect(() => assertNever({ type: 'Unknown' } as never)).toThrow('Unexpected variant: {"type":"Unknown"}');
  });
});
