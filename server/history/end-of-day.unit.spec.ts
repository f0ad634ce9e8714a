import { describe, expect, it } from 'vitest';
import { ValidationError } from '@/domain';
import { endOfDay } from './end-of-day';

describe('the end of a day in UTC', () => {
  const now = new Date('2025-03-01T22:30:00.000Z');

  it('is the last millisecond of the day, for today and for days before it', () => {
    expect(endOfDay('2025-03-01', now)).toEqual(new Date('2025-03-01T23:59:59.999Z'));
    expect(endOfDay('2024-02-29', now)).toEqual(new Date('2024-02-29T23:59:59.999Z'));
  });

  it('refuses a day after today', () => {
    expect(() => endOfDay('2025-03-02', now)).toThrow(ValidationError);
    expect(() => endOfDay('2025-03-02', now)).toThrow('Pick a day up to today.');
  });
});
