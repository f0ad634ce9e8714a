import { describe, expect, it } from 'vitest';
import { daysBetween, lastDays } from './query';

describe('the days of a sales range', () => {
  it('lists every UTC day from the first to the last, both included, across a month and a leap day', () => {
    expect(daysBetween('2024-02-27', '2024-03-01')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(daysBetween('2025-12-31', '2025-12-31')).toEqual(['2025-12-31']);
  });

  it('is empty when the range ends before it starts', () => {
    expect(daysBetween('2025-03-02', '2025-03-01')).toEqual([]);
  });

  it('takes the last days up to today, today included, whatever the hour', () => {
    expect(lastDays(3, new Date('2025-03-01T23:59:59.999Z'))).toEqual({ from: '2025-02-27', to: '2025-03-01' });
    expect(lastDays(1, new Date('2025-03-01T00:00:00.000Z'))).toEqual({ from: '2025-03-01', to: '2025-03-01' });
  });
});
