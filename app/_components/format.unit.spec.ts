import { describe, expect, it } from 'vitest';
import { formatDateTime, formatLocalDateTime } from './format';

describe('times', () => {
  const at = new Date('2025-03-01T23:30:15.000Z');

  it('says a moment in UTC, the zone the daily sales count days in', () => {
    expect(formatDateTime(at)).toBe('1 Mar 2025, 23:30:15 UTC');
  });

  it('says the same moment on the reader’s clock, naming the zone', () => {
    expect(formatLocalDateTime(at, { locale: 'en-GB', timeZone: 'Europe/Amsterdam' })).toBe('2 Mar 2025, 00:30 CET');
    expect(formatLocalDateTime(at, { locale: 'en-US', timeZone: 'America/New_York', seconds: true })).toBe(
      'Mar 1, 2025, 06:30:15 PM EST',
    );
  });
});
