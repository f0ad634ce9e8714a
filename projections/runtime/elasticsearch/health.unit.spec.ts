import { describe, expect, it } from 'vitest';
import { classifyItemError } from './failures';
import { degradedAnswerLog } from './health';

const closed = classifyItemError(400, { type: 'index_closed_exception', reason: 'closed' });
const overloaded = classifyItemError(429, { type: 'circuit_breaking_exception', reason: '[request] Data too large' });

describe('the record of searches answered "catching up"', () => {
  it('asks for a log line when a kind of failure begins, then once a minute with the count since', () => {
    let now = Date.parse('2025-03-01T09:00:00.000Z');
    const log = degradedAnswerLog(() => new Date(now));
    expect(log.of('product_search_v1')).toBeNull();

    expect(log.record('product_search_v1', closed)).toBe(1);
    now += 1_000;
    expect(log.record('product_search_v1', closed)).toBe(0);
    expect(log.record('product_search_v1', closed)).toBe(0);
    // Another read model has a run of its own.
    expect(log.record('order_search_v1', closed)).toBe(1);
    now += 60_000;
    expect(log.record('product_search_v1', closed)).toBe(3);
    // A new kind is news at once.
    now += 1_000;
    expect(log.record('product_search_v1', overloaded)).toBe(1);

    expect(log.of('product_search_v1')).toEqual({ count: 5, lastAt: new Date(now), lastProblem: overloaded.summary });
    expect(log.of('order_search_v1')).toMatchObject({ count: 1, lastProblem: 'the index is closed' });
  });
});
