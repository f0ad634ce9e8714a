import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';

describe('formatDuration', () => {
  it('shows tenths below ten seconds, whole seconds to two minutes, then minutes, then hours', () => {
    expect(formatDuration(0)).toBe('0.0 s');
    expect(formatDuration(9.94)).toBe('9.9 s');
    expect(formatDuration(10)).toBe('10 s');
    expect(formatDuration(119.4)).toBe('119 s');
    expect(formatDuration(119.6)).toBe('2 min 0 s');
    expect(formatDuration(3_599)).toBe('59 min 59 s');
    expect(formatDuration(3_600)).toBe('1 h 0 min');
    expect(formatDuration(90_061)).toBe('25 h 1 min');
  });
});
